package dev.turnout.lab.stats;

import java.util.Collection;

/**
 * Pearson's chi-square goodness-of-fit test against a uniform split: do N requests spread over k
 * backends look like fair random picks? The p-value is the upper tail of the chi-square
 * distribution with k-1 degrees of freedom, from the regularized incomplete gamma function.
 */
public record ChiSquare(double statistic, int degreesOfFreedom, double pValue) {

    /** Tests observed counts against equal expected counts. */
    public static ChiSquare uniform(Collection<Long> observed) {
        int k = observed.size();
        if (k < 2) {
            throw new IllegalArgumentException("need at least 2 categories, got " + k);
        }
        long n = observed.stream().mapToLong(Long::longValue).sum();
        double expected = (double) n / k;
        double stat = 0;
        for (long o : observed) {
            double d = o - expected;
            stat += d * d / expected;
        }
        int df = k - 1;
        return new ChiSquare(stat, df, upperTail(df / 2.0, stat / 2.0));
    }

    /** True when the test does not reject uniformity at significance {@code alpha}. */
    public boolean looksUniform(double alpha) {
        return pValue >= alpha;
    }

    /** Q(a, x) = Γ(a, x) / Γ(a), by series for x < a+1 and by continued fraction otherwise. */
    static double upperTail(double a, double x) {
        if (x <= 0) {
            return 1.0;
        }
        if (x < a + 1) {
            double sum = 1.0 / a;
            double term = sum;
            for (int n = 1; n < 1000; n++) {
                term *= x / (a + n);
                sum += term;
                if (Math.abs(term) < Math.abs(sum) * 1e-15) {
                    break;
                }
            }
            return 1.0 - sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
        }
        // Lentz's method for the continued fraction of Γ(a, x).
        double b = x + 1 - a;
        double c = 1e300;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 1000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            d = Math.abs(d) < 1e-300 ? 1e-300 : d;
            c = b + an / c;
            c = Math.abs(c) < 1e-300 ? 1e-300 : c;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-15) {
                break;
            }
        }
        return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
    }

    /** Lanczos approximation of ln Γ(z) for z > 0. */
    static double logGamma(double z) {
        double[] g = {676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
        if (z < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - logGamma(1 - z);
        }
        z -= 1;
        double x = 0.99999999999980993;
        for (int i = 0; i < g.length; i++) {
            x += g[i] / (z + i + 1);
        }
        double t = z + g.length - 0.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "chi-square = %.2f, df = %d, p = %.3f", statistic, degreesOfFreedom, pValue);
    }
}
