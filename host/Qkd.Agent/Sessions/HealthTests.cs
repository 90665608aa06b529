using System.Numerics;

namespace Qkd.Agent.Sessions;

public sealed class HealthTestFailureException(string message) : Exception(message);

/// <summary>
/// NIST SP 800-90B section 4.4 continuous health tests on the random bytes (8-bit samples) before they
/// become tables: the repetition count test (4.4.1: a run of C identical samples fails) and the
/// adaptive proportion test (4.4.2: window W = 512, the first sample of each window occurring C or more
/// times fails). Cutoffs follow from the assessed min-entropy H per sample and the false-alarm rate
/// alpha = 2^-40 (the standard's range is 2^-20..2^-40; the low end keeps gigabyte sessions quiet).
/// State carries across calls, as the tests run continuously.
/// </summary>
public sealed class HealthTests
{
    public const int AdaptiveWindow = 512;
    public const double AlphaLog2 = -40;

    private byte _lastSample;
    private int _runLength;
    private byte _windowSample;
    private int _windowCount;
    private int _windowSeen = AdaptiveWindow; // the first sample opens a window

    /// <param name="minEntropyPerByte">Assessed min-entropy H per 8-bit sample (8 for a full-entropy CSPRNG).</param>
    public HealthTests(double minEntropyPerByte = 8.0)
    {
        if (!(minEntropyPerByte > 0 && minEntropyPerByte <= 8)) throw new ArgumentOutOfRangeException(nameof(minEntropyPerByte), "H must lie in (0, 8]");
        RepetitionCutoff = 1 + (int)Math.Ceiling(-AlphaLog2 / minEntropyPerByte);
        AdaptiveCutoff = AdaptiveProportionCutoff(AdaptiveWindow, Math.Pow(2, -minEntropyPerByte), AlphaLog2);
    }

    /// <summary>C of the repetition count test: C = 1 + ceil(-log2(alpha) / H).</summary>
    public int RepetitionCutoff { get; }

    /// <summary>C of the adaptive proportion test: 1 + the smallest c with P(Binomial(W-1, 2^-H) >= c) <= alpha.</summary>
    public int AdaptiveCutoff { get; }

    public long SamplesTested { get; private set; }

    /// <summary>Tests the samples in order; throws <see cref="HealthTestFailureException"/> at the first failure.</summary>
    public void Test(ReadOnlySpan<byte> samples)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            var s = samples[i];
            if (_runLength > 0 && s == _lastSample)
            {
                if (++_runLength >= RepetitionCutoff)
                    throw new HealthTestFailureException($"RNG health test failed: repetition count test (SP 800-90B 4.4.1), " +
                        $"{_runLength} identical samples in a row (cutoff {RepetitionCutoff}) at sample {SamplesTested + i}");
            }
            else
            {
                _lastSample = s;
                _runLength = 1;
            }

            if (_windowSeen == AdaptiveWindow)
            {
                _windowSample = s;
                _windowCount = 1;
                _windowSeen = 1;
            }
            else
            {
                _windowSeen++;
                if (s == _windowSample && ++_windowCount >= AdaptiveCutoff)
                    throw new HealthTestFailureException($"RNG health test failed: adaptive proportion test (SP 800-90B 4.4.2), " +
                        $"a sample occurred {_windowCount} times in a window of {AdaptiveWindow} (cutoff {AdaptiveCutoff}) at sample {SamplesTested + i}");
            }
        }
        SamplesTested += samples.Length;
    }

    private static int AdaptiveProportionCutoff(int window, double p, double alphaLog2)
    {
        // Upper tail of Binomial(window - 1, p) in log space; the first sample of the window is the one counted.
        var n = window - 1;
        var alpha = Math.Pow(2, alphaLog2);
        var logP = Math.Log(p);
        var logQ = Math.Log(1 - p);
        var terms = new double[n + 1];
        for (var k = 0; k <= n; k++) terms[k] = LogChoose(n, k) + k * logP + (n - k) * logQ;
        double tail = 0;
        for (var c = n; c >= 0; c--)
        {
            tail += Math.Exp(terms[c]);
            if (tail > alpha) return Math.Min(window, c + 2); // c+1 occurrences among W-1 plus the first sample
        }
        return window;
    }

    private static double LogChoose(int n, int k)
    {
        double r = 0;
        for (var i = 1; i <= k; i++) r += Math.Log(n - k + i) - Math.Log(i);
        return r;
    }
}
