package dev.turnout.proxy.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scenarios of upstream's bounded_frequency_runner_test.go (minInterval 1s, maxInterval 10s),
 * replayed on a fake clock, plus retries. Each step acts, then states what must have happened: the
 * function ran once (and the timer was re-armed to maxInterval), it was deferred to a given delay,
 * or nothing happened at all.
 */
class BoundedFrequencyRunnerTest {
    private static final Duration MIN = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofSeconds(10);

    record Expect(boolean ran, Duration timer) {
        static Expect runs() {
            return new Expect(true, MAX);
        }

        static Expect deferredBy(long ms) {
            return new Expect(false, Duration.ofMillis(ms));
        }

        static Expect nothing() {
            return new Expect(false, null);
        }
    }

    record Step(String name, Expect expect, List<BiConsumer<BoundedFrequencyRunner, FakeScheduler>> actions) {
        @Override
        public String toString() {
            return name;
        }
    }

    @SafeVarargs
    static Step step(String name, Expect expect, BiConsumer<BoundedFrequencyRunner, FakeScheduler>... actions) {
        return new Step(name, expect, List.of(actions));
    }

    static BiConsumer<BoundedFrequencyRunner, FakeScheduler> run() {
        return (r, s) -> r.run();
    }

    static BiConsumer<BoundedFrequencyRunner, FakeScheduler> advance(long ms) {
        return (r, s) -> s.advance(Duration.ofMillis(ms));
    }

    static BiConsumer<BoundedFrequencyRunner, FakeScheduler> retryAfter(long ms) {
        return (r, s) -> r.retryAfter(Duration.ofMillis(ms));
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of("without burst, runs are at least minInterval apart and at most maxInterval", 1, List.of(
                        step("first request runs at once", Expect.runs(), run()),
                        step("a request 500ms later is deferred to minInterval", Expect.deferredBy(500), advance(500), run()),
                        step("a request at 999ms is deferred by 1ms", Expect.deferredBy(1), advance(499), run()),
                        step("the deferred run happens at minInterval", Expect.runs(), advance(1)),
                        step("a request right after a run waits a full minInterval", Expect.deferredBy(1000), run()),
                        step("a request 1ms later keeps the same deadline", Expect.deferredBy(999), advance(1), run()),
                        step("nothing runs before the deadline", Expect.nothing(), advance(998)),
                        step("the coalesced requests run once at the deadline", Expect.runs(), advance(1)),
                        step("minInterval passing with nothing queued runs nothing", Expect.nothing(), advance(1000)),
                        step("maxInterval after the last run, it runs unasked", Expect.runs(), advance(9000)),
                        step("a request after the periodic run is paced too", Expect.deferredBy(999), advance(1), run()),
                        step("and runs at minInterval", Expect.runs(), advance(999)))),
                Arguments.of("with a burst of 2, two runs may come back to back", 2, List.of(
                        step("first request runs at once", Expect.runs(), run()),
                        step("second request 1ms later runs too, spending the burst", Expect.runs(), advance(1), run()),
                        step("a third is deferred to minInterval after the second", Expect.deferredBy(502), advance(498), run()),
                        step("a fourth keeps that deadline", Expect.deferredBy(501), advance(1), run()),
                        step("a fifth keeps that deadline", Expect.deferredBy(500), advance(1), run()),
                        step("a token earned before minInterval since the last run fires nothing", Expect.nothing(), advance(499)),
                        step("but a request can spend it", Expect.runs(), run()),
                        step("then requests wait for minInterval again", Expect.deferredBy(999), advance(1), run()),
                        step("still waiting 1ms before the deadline", Expect.deferredBy(1), advance(998), run()),
                        step("the deferred run happens", Expect.runs(), advance(1)),
                        step("a full bucket allows one run", Expect.runs(), advance(2000), run()),
                        step("and a second at once", Expect.runs(), run()),
                        step("but not a third", Expect.deferredBy(1000), run()),
                        step("which runs minInterval later", Expect.runs(), advance(1000)),
                        step("maxInterval later it runs unasked", Expect.runs(), advance(10000)))),
                Arguments.of("many requests before the loop gets to them coalesce into one run", 1, List.of(
                        step("three requests at once run once", Expect.runs(), run(), run(), run()),
                        step("three more right after are one deferred run", Expect.deferredBy(1000), run(), run(), run()),
                        step("which happens once", Expect.runs(), advance(1000)),
                        step("and nothing follows", Expect.nothing(), advance(5000)))),
                Arguments.of("retryAfter brings the next run forward but never delays it", 1, List.of(
                        step("first request runs at once", Expect.runs(), run()),
                        step("a retry sooner than the periodic run re-arms the timer", Expect.deferredBy(2000), retryAfter(2000)),
                        step("a later retry does not postpone it", Expect.nothing(), retryAfter(5000)),
                        step("the retry runs", Expect.runs(), advance(2000)),
                        step("a retry beyond maxInterval changes nothing", Expect.nothing(), retryAfter(20000)),
                        step("an immediate retry is still paced by minInterval", Expect.deferredBy(1000), retryAfter(0)),
                        step("and runs at minInterval", Expect.runs(), advance(1000)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void replays(String scenario, int burst, List<Step> steps) {
        FakeScheduler clock = new FakeScheduler();
        AtomicInteger calls = new AtomicInteger();
        BoundedFrequencyRunner runner = new BoundedFrequencyRunner("test", calls::incrementAndGet, MIN, MAX, burst, clock);
        runner.start();
        clock.drain();
        assertThat(clock.takeScheduledDelays()).as("init arms the periodic timer").containsExactly(MAX);
        assertThat(calls.get()).as("init runs nothing").isZero();

        for (Step step : steps) {
            step.actions().forEach(a -> a.accept(runner, clock));
            clock.drain();
            List<Duration> delays = clock.takeScheduledDelays();
            assertThat(calls.getAndSet(0)).as(step.name() + ": calls").isEqualTo(step.expect().ran() ? 1 : 0);
            if (step.expect().timer() == null) {
                assertThat(delays).as(step.name() + ": timer untouched").isEmpty();
            } else {
                assertThat(delays).as(step.name() + ": timer").isNotEmpty();
                assertThat(delays.get(delays.size() - 1)).as(step.name() + ": timer").isEqualTo(step.expect().timer());
            }
        }
    }

    @Test
    void aFailingFunctionDoesNotEndTheLoop() {
        FakeScheduler clock = new FakeScheduler();
        AtomicInteger calls = new AtomicInteger();
        BoundedFrequencyRunner runner = new BoundedFrequencyRunner("test", () -> {
            calls.incrementAndGet();
            throw new IllegalStateException("boom");
        }, MIN, MAX, 1, clock);
        runner.start();
        runner.run();
        clock.drain();
        clock.advance(MAX);
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void aStoppedRunnerRunsNothing() {
        FakeScheduler clock = new FakeScheduler();
        AtomicInteger calls = new AtomicInteger();
        BoundedFrequencyRunner runner = new BoundedFrequencyRunner("test", calls::incrementAndGet, MIN, MAX, 1, clock);
        runner.start();
        clock.drain();
        runner.stop();
        runner.run();
        clock.advance(Duration.ofMinutes(1));
        assertThat(calls.get()).isZero();
    }

    @Test
    void maxIntervalBelowMinIntervalIsRejected() {
        assertThatThrownBy(() -> new BoundedFrequencyRunner("test", () -> { }, MAX, MIN, 1, new FakeScheduler()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxInterval");
    }

    @Test
    void runsOnARealThread() throws Exception {
        try (SingleThreadScheduler scheduler = new SingleThreadScheduler("bfr-test")) {
            scheduler.start();
            java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
            BoundedFrequencyRunner runner = new BoundedFrequencyRunner("test", ran::countDown, Duration.ZERO, MAX, 1, scheduler);
            runner.start();
            runner.run();
            assertThat(ran.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            runner.stop();
        }
    }
}
