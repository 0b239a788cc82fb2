package dev.turnout.lab.netexec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NetexecLoopbackTest {

    private static Netexec netexec;
    private static final Dialer DIALER = new Dialer(Duration.ofSeconds(1), Duration.ofSeconds(2));

    @BeforeAll
    static void start() throws Exception {
        netexec = new Netexec(new NetexecOptions(0, 0));
        netexec.start();
    }

    @AfterAll
    static void stop() {
        netexec.close();
    }

    private DialResult get(String path) {
        return DIALER.http("127.0.0.1", netexec.httpPort(), path);
    }

    private DialResult udp(String payload) {
        return DIALER.udp("127.0.0.1", netexec.udpPort(), payload);
    }

    @Test
    void hostnameIsTheUtsHostname() {
        assertThat(get("/hostname")).isEqualTo(DialResult.response(200, Hostname.current()));
        assertThat(get("/hostName").body()).isEqualTo(Hostname.current());
    }

    @Test
    void clientIpIsTheRemoteIpAndPort() {
        DialResult r = get("/clientip");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).matches("127\\.0\\.0\\.1:\\d+");
    }

    @Test
    void echoReturnsMessageAndOptionalStatus() {
        assertThat(get("/echo?msg=hello%20world")).isEqualTo(DialResult.response(200, "hello world"));
        assertThat(get("/echo?msg=teapot&code=418")).isEqualTo(DialResult.response(418, "teapot"));
        assertThat(get("/echo").body()).isEmpty();
        assertThat(get("/echo?msg=gone&code=204")).isEqualTo(DialResult.response(204, ""));
    }

    @Test
    void healthzIsOkOnceUdpServes() {
        assertThat(get("/healthz")).isEqualTo(DialResult.response(200, ""));
    }

    @Test
    void rootReportsTheTime() {
        assertThat(get("/").body()).startsWith("NOW: ");
    }

    @Test
    void unknownPathsAre404() {
        assertThat(get("/nope").status()).isEqualTo(404);
        assertThat(get("/hostname/extra").status()).isEqualTo(404);
    }

    @Test
    void dialReportsResponsesAsJson() {
        DialResult r = get("/dial?host=127.0.0.1&port=" + netexec.httpPort() + "&request=echo%3Fmsg%3Dx&tries=2");
        assertThat(r).isEqualTo(DialResult.response(200, "{\"responses\":[\"x\",\"x\"]}"));
        DialResult u = get("/dial?host=127.0.0.1&port=" + netexec.udpPort() + "&request=hostname&protocol=udp");
        assertThat(u.body()).isEqualTo("{\"responses\":[\"" + Hostname.current() + "\"]}");
        assertThat(get("/dial?host=127.0.0.1&port=1").status()).isEqualTo(400);
    }

    @Test
    void udpAnswersHostnameClientIpAndEcho() {
        assertThat(udp("hostname")).isEqualTo(DialResult.response(0, Hostname.current()));
        assertThat(udp("clientip\n").body()).matches("127\\.0\\.0\\.1:\\d+");
        // upstream lower-cases the request before matching, so the echo comes back lower-cased too
        assertThat(udp("echo Hello There").body()).isEqualTo("hello there");
    }

    @Test
    void udpIgnoresUnknownCommands() {
        DialResult r = new Dialer(Duration.ofSeconds(1), Duration.ofMillis(300)).udp("127.0.0.1", netexec.udpPort(), "bogus");
        assertThat(r.ok()).isFalse();
        assertThat(udp("hostname").ok()).isTrue();
    }

    @Test
    void resultLinesRoundTrip() {
        DialResult multi = DialResult.response(200, "a\nb\\c\r");
        assertThat(DialResult.fromLine(multi.toLine())).isEqualTo(multi);
        DialResult err = DialResult.failure("Connection refused");
        assertThat(DialResult.fromLine(err.toLine())).isEqualTo(err);
        assertThat(multi.toLine()).doesNotContain("\n");
    }

    @Test
    void optionsParseAgnhostFlags() {
        assertThat(NetexecOptions.parse(java.util.List.of())).isEqualTo(NetexecOptions.defaults());
        assertThat(NetexecOptions.parse(java.util.List.of("--http-port=9000", "--udp-port", "-1")))
                .isEqualTo(new NetexecOptions(9000, -1));
    }
}
