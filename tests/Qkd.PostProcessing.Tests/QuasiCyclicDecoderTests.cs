using System.Reflection;
using System.Runtime.Intrinsics.X86;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Ldpc;

namespace Qkd.PostProcessing.Tests;

/// <summary>The one-frame quasi-cyclic 8-bit layered min-sum decoder: decoding, SIMD == portable, blind-round resume.</summary>
public class QuasiCyclicDecoderTests
{
    private static (BitVector Bob, float[] Llr, ulong[] Syndrome) Frame(SparseParityCheckMatrix h, double qber, int seed, double channelQber = -1)
    {
        var (alice, bob) = LdpcTestData.Correlated(h.Columns, qber, seed);
        var syndrome = new ulong[SparseParityCheckMatrix.WordsFor(h.Rows)];
        h.Syndrome(bob.Words, syndrome);
        var llr = new float[h.Columns];
        ChannelLlr.FromBits(alice.Words, 0, h.Columns, ChannelLlr.Magnitude(channelQber > 0 ? channelQber : qber), llr);
        return (bob, llr, syndrome);
    }

    private static ulong[] Decoded(QuasiCyclicMinSumDecoder decoder)
    {
        var word = new ulong[SparseParityCheckMatrix.WordsFor(decoder.Matrix.Columns)];
        decoder.CopyDecoded(0, word);
        return word;
    }

    [SkippableTheory]
    [InlineData(false, CheckUpdate.OffsetMinSum)]
    [InlineData(true, CheckUpdate.OffsetMinSum)]
    [InlineData(false, CheckUpdate.SelfCorrected)]
    [InlineData(true, CheckUpdate.SelfCorrected)]
    public void Decodes_frames_well_below_threshold_to_bobs_word(bool simd, CheckUpdate rule)
    {
        Skip.If(simd && !Avx2.IsSupported, "needs AVX2");
        var code = QuasiCyclicDecoderTestCodes.RateHalfZ32;
        var decoder = new QuasiCyclicMinSumDecoder(code, useSimd: simd, checkUpdate: rule);
        Assert.Equal(rule, decoder.CheckRule);
        Assert.Equal(simd, decoder.UsesSimd);
        var words = SparseParityCheckMatrix.WordsFor(code.Columns);
        for (var seed = 0; seed < 10; seed++)
        {
            var (bob, llr, syndrome) = Frame(decoder.Matrix, 0.03, 500 + seed);
            decoder.Load(0, llr, syndrome);
            Assert.Equal(1u, decoder.Run(1));
            Assert.Equal(bob.Words.AsSpan(0, words).ToArray(), Decoded(decoder));
            Assert.InRange(decoder.Iterations(0), 1, decoder.MaxIterations);
        }
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Wipe_leaves_no_decoded_word_and_the_next_frame_decodes_as_on_a_new_decoder(bool simd)
    {
        Skip.If(simd && !Avx2.IsSupported, "needs AVX2");
        var code = QuasiCyclicDecoderTestCodes.RateHalfZ32;
        var used = new QuasiCyclicMinSumDecoder(code, useSimd: simd);
        // A frame that needs a blind round leaves messages, self-correction state and a revealed channel behind.
        var (_, llr, syndrome) = Frame(used.Matrix, 0.12, 900);
        used.Load(0, llr, syndrome);
        used.Run(1);
        used.Wipe();
        Assert.All(Decoded(used), word => Assert.Equal(0ul, word));

        var fresh = new QuasiCyclicMinSumDecoder(code, useSimd: simd);
        for (var seed = 0; seed < 3; seed++)
        {
            var (bob, nextLlr, nextSyndrome) = Frame(used.Matrix, 0.04, 910 + seed);
            used.Load(0, nextLlr, nextSyndrome);
            fresh.Load(0, nextLlr, nextSyndrome);
            Assert.Equal(fresh.Run(1), used.Run(1));
            Assert.Equal(fresh.Iterations(0), used.Iterations(0));
            Assert.Equal(Decoded(fresh), Decoded(used));
            used.Wipe();
            fresh.Wipe();
        }
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_frame_loaded_without_a_wipe_decodes_exactly_as_on_a_new_decoder(bool simd)
    {
        Skip.If(simd && !Avx2.IsSupported, "needs AVX2");
        var code = QuasiCyclicDecoderTestCodes.RateHalfZ32;
        var used = new QuasiCyclicMinSumDecoder(code, useSimd: simd, checkUpdate: CheckUpdate.SelfCorrected);
        var fresh = new QuasiCyclicMinSumDecoder(code, useSimd: simd, checkUpdate: CheckUpdate.SelfCorrected);
        // The first attempt after a Wipe skips clearing the messages (nothing was updated since); after a Load over a used
        // decoder it must clear them: messages and self-correction state left by a failed frame would change the next one.
        var (_, llr, syndrome) = Frame(used.Matrix, 0.12, 930);
        used.Load(0, llr, syndrome);
        Assert.Equal(0u, used.Run(1));
        for (var seed = 0; seed < 3; seed++)
        {
            var (_, nextLlr, nextSyndrome) = Frame(used.Matrix, 0.05, 940 + seed);
            // Two iterations first: stale messages or self-correction state show in the unsatisfied checks before the
            // frames converge to the same word either way.
            used.MaxIterations = fresh.MaxIterations = 2;
            used.Load(0, nextLlr, nextSyndrome);
            fresh.Load(0, nextLlr, nextSyndrome);
            Assert.Equal(fresh.Run(1), used.Run(1));
            Assert.Equal(fresh.UnsatisfiedChecks, used.UnsatisfiedChecks);
            Assert.Equal(Decoded(fresh), Decoded(used));
            used.MaxIterations = fresh.MaxIterations = 60;
            used.Load(0, nextLlr, nextSyndrome);
            fresh.Load(0, nextLlr, nextSyndrome);
            Assert.Equal(fresh.Run(1), used.Run(1));
            Assert.Equal(fresh.Iterations(0), used.Iterations(0));
            Assert.Equal(Decoded(fresh), Decoded(used));
            fresh.Wipe();
        }
    }

    [SkippableFact]
    public void Wipe_clears_every_frame_derived_array_of_the_simd_decoder()
    {
        Skip.IfNot(Avx2.IsSupported, "needs AVX2");
        var decoder = new QuasiCyclicMinSumDecoder(QuasiCyclicDecoderTestCodes.RateHalfZ32, useSimd: true, checkUpdate: CheckUpdate.SelfCorrected);
        var (_, llr, syndrome) = Frame(decoder.Matrix, 0.12, 950);
        decoder.Load(0, llr, syndrome);
        decoder.Run(1);
        var fields = typeof(QuasiCyclicMinSumDecoder).GetFields(BindingFlags.NonPublic | BindingFlags.Instance);
        var scratch = fields.Where(f => f.FieldType == typeof(sbyte[]) && f.Name != "_positions").ToArray();
        Assert.Contains(scratch, f => f.Name == "_q");
        Assert.Contains(scratch, f => f.Name == "_sentNow");
        Assert.Contains(scratch, f => ((sbyte[])f.GetValue(decoder)!).Any(v => v != 0));
        decoder.Wipe();
        foreach (var field in scratch)
            Assert.True(((sbyte[])field.GetValue(decoder)!).All(v => v == 0), $"{field.Name} still holds frame data after Wipe");
        var edges = (Array)fields.Single(f => f.Name == "_edges").GetValue(decoder)!;
        var signWords = edges.GetType().GetElementType()!.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .Where(f => f.Name != "Load").ToArray();
        Assert.NotEmpty(signWords);
        foreach (var edge in edges)
            foreach (var word in signWords)
                Assert.Equal(0UL, Convert.ToUInt64(word.GetValue(edge)));
        Assert.Equal(0, decoder.UnsatisfiedChecks);
    }

    [SkippableFact]
    public void A_code_with_an_empty_block_row_runs_on_the_portable_path_and_decodes()
    {
        Skip.IfNot(Avx2.IsSupported, "the guard keeps such a code off the SIMD path: only observable where AVX2 exists");
        // The SIMD kernel's loops test at their ends (every block row has a circulant); a row without one must not reach them.
        var code = QuasiCyclicDecoderTestCodes.RateHalfZ32;
        var rows = Enumerable.Range(0, code.BaseRows).Select(i => code.ColumnsOfBaseRow(i).ToArray()).Append([]).ToArray();
        var shifts = Enumerable.Range(0, code.BaseRows).Select(i => code.ShiftsOfBaseRow(i).ToArray()).Append([]).ToArray();
        var withEmptyRow = new QuasiCyclicCode(code.LiftingSize, code.BaseColumns, rows, shifts);
        var decoder = new QuasiCyclicMinSumDecoder(withEmptyRow, checkUpdate: CheckUpdate.SelfCorrected);
        Assert.False(decoder.UsesSimd);
        Assert.Throws<PlatformNotSupportedException>(() => new QuasiCyclicMinSumDecoder(withEmptyRow, useSimd: true));
        var (bob, llr, syndrome) = Frame(decoder.Matrix, 0.03, 990);
        decoder.Load(0, llr, syndrome);
        Assert.Equal(1u, decoder.Run(1));
        Assert.Equal(bob.Words.AsSpan(0, SparseParityCheckMatrix.WordsFor(withEmptyRow.Columns)).ToArray(), Decoded(decoder));
    }

    [SkippableFact]
    public void A_NaN_llr_is_read_as_no_information_on_both_paths()
    {
        Skip.IfNot(Avx2.IsSupported, "needs AVX2");
        var code = QuasiCyclicDecoderTestCodes.RateHalfZ32;
        var simd = new QuasiCyclicMinSumDecoder(code, maxIterations: 25, useSimd: true);
        var (_, llr, syndrome) = Frame(simd.Matrix, 0.03, 950);
        var withNaN = (float[])llr.Clone();
        var withZero = (float[])llr.Clone();
        for (var c = 5; c < llr.Length; c += 97)
        {
            withNaN[c] = float.NaN;
            withZero[c] = 0f;
        }
        foreach (var useSimd in new[] { true, false })
        {
            var nan = new QuasiCyclicMinSumDecoder(code, simd.Matrix, maxIterations: 25, useSimd: useSimd);
            var zero = new QuasiCyclicMinSumDecoder(code, simd.Matrix, maxIterations: 25, useSimd: useSimd);
            nan.Load(0, withNaN, syndrome);
            zero.Load(0, withZero, syndrome);
            Assert.Equal(zero.Run(1), nan.Run(1));
            Assert.Equal(zero.Iterations(0), nan.Iterations(0));
            Assert.Equal(Decoded(zero), Decoded(nan));
        }
    }

    [SkippableTheory]
    [InlineData(0.03, CheckUpdate.OffsetMinSum)]
    [InlineData(0.08, CheckUpdate.OffsetMinSum)]
    [InlineData(0.10, CheckUpdate.OffsetMinSum)]
    [InlineData(0.20, CheckUpdate.OffsetMinSum)]
    [InlineData(0.03, CheckUpdate.SelfCorrected)]
    [InlineData(0.08, CheckUpdate.SelfCorrected)]
    [InlineData(0.10, CheckUpdate.SelfCorrected)]
    [InlineData(0.20, CheckUpdate.SelfCorrected)]
    public void Simd_and_portable_paths_agree_bit_for_bit(double qber, CheckUpdate rule)
    {
        Skip.IfNot(Avx2.IsSupported, "needs AVX2");
        var code = QuasiCyclicDecoderTestCodes.RateHalfZ32;
        var simd = new QuasiCyclicMinSumDecoder(code, maxIterations: 25, useSimd: true, checkUpdate: rule);
        var portable = new QuasiCyclicMinSumDecoder(code, simd.Matrix, maxIterations: 25, useSimd: false, checkUpdate: rule);
        for (var seed = 0; seed < 6; seed++)
        {
            var (bob, llr, syndrome) = Frame(simd.Matrix, qber, 900 + seed);
            simd.Load(0, llr, syndrome);
            portable.Load(0, llr, syndrome);
            Assert.Equal(portable.Run(1), simd.Run(1));
            Assert.Equal(portable.Iterations(0), simd.Iterations(0));
            Assert.Equal(portable.UnsatisfiedChecks, simd.UnsatisfiedChecks);
            Assert.Equal(Decoded(portable), Decoded(simd));
            // A blind round on both: the same 200 columns revealed, resumed from the kept messages.
            var columns = Enumerable.Range(0, 200).Select(i => (i * 37 + seed) % code.Columns).Distinct().ToArray();
            var values = new ulong[BitVector.WordCount(columns.Length)];
            for (var i = 0; i < columns.Length; i++) if (bob[columns[i]]) values[i >> 6] |= 1UL << (i & 63);
            simd.Reveal(0, columns, values);
            portable.Reveal(0, columns, values);
            Assert.Equal(portable.Run(1), simd.Run(1));
            Assert.Equal(portable.Iterations(0), simd.Iterations(0));
            Assert.Equal(Decoded(portable), Decoded(simd));
        }
    }

    [SkippableTheory]
    [InlineData(CheckUpdate.OffsetMinSum)]
    [InlineData(CheckUpdate.SelfCorrected)]
    public void Simd_and_portable_paths_agree_through_failed_attempts_blind_rounds_and_a_restart(CheckUpdate rule)
    {
        Skip.IfNot(Avx2.IsSupported, "needs AVX2");
        var code = QuasiCyclicDecoderTestCodes.RateHalfZ32;
        var simd = new QuasiCyclicMinSumDecoder(code, maxIterations: 12, useSimd: true, checkUpdate: rule) { ResumeIterations = 6, RestartAfterFailures = 2 };
        var portable = new QuasiCyclicMinSumDecoder(code, simd.Matrix, maxIterations: 12, useSimd: false, checkUpdate: rule)
        {
            ResumeIterations = 6, RestartAfterFailures = 2,
        };
        // Far above threshold: the first attempts fail, so the third run restarts from the channel with the revealed bits.
        var (bob, llr, syndrome) = Frame(simd.Matrix, 0.1, 61);
        simd.Load(0, llr, syndrome);
        portable.Load(0, llr, syndrome);
        var failures = 0;
        for (var round = 0; round < 8; round++)
        {
            var converged = portable.Run(1);
            Assert.Equal(converged, simd.Run(1));
            Assert.Equal(portable.Iterations(0), simd.Iterations(0));
            Assert.Equal(Decoded(portable), Decoded(simd));
            if (converged == 1) break;
            failures++;
            var columns = Enumerable.Range(0, 150).Select(i => (i * 53 + round * 11) % code.Columns).Distinct().ToArray();
            var values = new ulong[BitVector.WordCount(columns.Length)];
            for (var i = 0; i < columns.Length; i++) if (bob[columns[i]]) values[i >> 6] |= 1UL << (i & 63);
            simd.Reveal(0, columns, values);
            portable.Reveal(0, columns, values);
        }
        Assert.True(failures >= 3, $"only {failures} failed attempts: the restart was not exercised");
    }

    [SkippableFact]
    public void Simd_and_portable_quantise_arbitrary_llrs_alike_including_ties_and_saturation()
    {
        Skip.IfNot(Avx2.IsSupported, "needs AVX2");
        var code = QuasiCyclicDecoderTestCodes.RateHalfZ32;
        var simd = new QuasiCyclicMinSumDecoder(code, maxIterations: 3, useSimd: true);
        var portable = new QuasiCyclicMinSumDecoder(code, simd.Matrix, maxIterations: 3, useSimd: false);
        var rng = new Random(5);
        // Quarter steps: times the scale 2 many land on .5 (round half to even); |llr| up to 80 saturates.
        var llr = Enumerable.Range(0, code.Columns).Select(_ => (rng.Next(641) - 320) / 4f).ToArray();
        var syndrome = new ulong[SparseParityCheckMatrix.WordsFor(code.Rows)];
        for (var i = 0; i < syndrome.Length; i++) syndrome[i] = (ulong)rng.NextInt64();
        if ((code.Rows & 63) != 0) syndrome[^1] &= (1UL << (code.Rows & 63)) - 1;
        for (var round = 0; round < 2; round++)
        {
            simd.Load(0, llr, syndrome);
            portable.Load(0, llr, syndrome);
            if (round == 1)
            {
                Assert.Equal(portable.Run(1), simd.Run(1));
                Assert.Equal(portable.Iterations(0), simd.Iterations(0));
            }
            Assert.Equal(Decoded(portable), Decoded(simd));
        }
    }

    [Fact]
    public void Portable_path_decodes_a_lifting_size_other_than_32()
    {
        var code = QuasiCyclicDecoderTestCodes.Build(QuasiCyclicDecoderTestCodes.Small, 150, 20, 3);
        var decoder = new QuasiCyclicMinSumDecoder(code);
        Assert.False(decoder.UsesSimd);
        var (bob, llr, syndrome) = Frame(decoder.Matrix, 0.03, 77);
        decoder.Load(0, llr, syndrome);
        Assert.Equal(1u, decoder.Run(1));
        Assert.Equal(bob.Words.AsSpan(0, SparseParityCheckMatrix.WordsFor(code.Columns)).ToArray(), Decoded(decoder));
    }

    [SkippableTheory]
    [InlineData(false, 0.03)]
    [InlineData(true, 0.03)]
    [InlineData(false, 0.09)]
    [InlineData(true, 0.09)]
    public void Channel_from_packed_bits_and_masks_decodes_exactly_as_the_same_llrs(bool simd, double qber)
    {
        Skip.If(simd && !Avx2.IsSupported, "needs AVX2");
        var code = QuasiCyclicDecoderTestCodes.RateHalfZ32;
        var fromBits = new QuasiCyclicMinSumDecoder(code, maxIterations: 25, useSimd: simd, checkUpdate: CheckUpdate.SelfCorrected);
        var fromLlr = new QuasiCyclicMinSumDecoder(code, fromBits.Matrix, maxIterations: 25, useSimd: simd, checkUpdate: CheckUpdate.SelfCorrected);
        var columns = code.Columns;
        var words = SparseParityCheckMatrix.WordsFor(columns);
        var magnitude = ChannelLlr.Magnitude(qber);
        for (var seed = 0; seed < 4; seed++)
        {
            var (alice, bob) = LdpcTestData.Correlated(columns, qber, 700 + seed);
            var syndrome = new ulong[SparseParityCheckMatrix.WordsFor(code.Rows)];
            fromBits.Matrix.Syndrome(bob.Words, syndrome);
            // About 8 % unknown (punctured) and 8 % known (shortened) columns, the rest through the channel.
            var random = new Random(seed);
            var unknown = new ulong[words];
            var known = new ulong[words];
            var llr = new float[columns];
            for (var c = 0; c < columns; c++)
            {
                var draw = random.Next(12);
                var sign = alice[c] ? -1f : 1f;
                if (draw == 0) unknown[c >> 6] |= 1UL << (c & 63);
                else if (draw == 1) known[c >> 6] |= 1UL << (c & 63);
                llr[c] = draw == 0 ? 0f : sign * (draw == 1 ? ChannelLlr.Known : magnitude);
            }
            fromBits.LoadHard(0, alice.Words, unknown, known, magnitude, syndrome);
            fromLlr.Load(0, llr, syndrome);
            Assert.Equal(fromLlr.Run(1), fromBits.Run(1));
            Assert.Equal(fromLlr.Iterations(0), fromBits.Iterations(0));
            Assert.Equal(fromLlr.UnsatisfiedChecks, fromBits.UnsatisfiedChecks);
            Assert.Equal(Decoded(fromLlr), Decoded(fromBits));
            // The revealed-bit path reads the channel the load wrote: a blind round must agree too.
            var revealed = Enumerable.Range(0, 300).Select(i => (i * 41 + seed) % columns).Distinct().ToArray();
            var values = new ulong[BitVector.WordCount(revealed.Length)];
            for (var i = 0; i < revealed.Length; i++) if (bob[revealed[i]]) values[i >> 6] |= 1UL << (i & 63);
            fromBits.Reveal(0, revealed, values);
            fromLlr.Reveal(0, revealed, values);
            Assert.Equal(fromLlr.Run(1), fromBits.Run(1));
            Assert.Equal(fromLlr.Iterations(0), fromBits.Iterations(0));
            Assert.Equal(Decoded(fromLlr), Decoded(fromBits));
        }
    }

    /// <summary>The iteration at which the first attempt on this frame converges with no limit in reach, or 0.</summary>
    private static int ConvergesAt(QuasiCyclicCode code, float[] llr, ulong[] syndrome, bool simd)
    {
        var unlimited = new QuasiCyclicMinSumDecoder(code, maxIterations: 200, useSimd: simd, checkUpdate: CheckUpdate.SelfCorrected);
        unlimited.Load(0, llr, syndrome);
        return unlimited.Run(1) == 1 ? unlimited.Iterations(0) : 0;
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_first_attempt_still_converging_at_its_limit_goes_on_and_decodes_where_a_hard_limit_fails(bool simd)
    {
        Skip.If(simd && !Avx2.IsSupported, "needs AVX2");
        var code = QuasiCyclicDecoderTestCodes.RateHalfZ32;
        var tested = 0;
        for (var seed = 0; seed < 12 && tested < 3; seed++)
        {
            var (bob, llr, syndrome) = Frame(code.ToMatrix(), 0.065, 800 + seed);
            var at = ConvergesAt(code, llr, syndrome, simd);
            if (at < 8) continue;
            tested++;
            var limit = at - 2;
            var hard = new QuasiCyclicMinSumDecoder(code, maxIterations: limit, useSimd: simd, checkUpdate: CheckUpdate.SelfCorrected);
            hard.Load(0, llr, syndrome);
            Assert.Equal(0u, hard.Run(1));
            Assert.Equal(limit, hard.Iterations(0));
            // Two iterations from the end the unsatisfied count is small and falling every iteration.
            var extended = new QuasiCyclicMinSumDecoder(code, maxIterations: limit, useSimd: simd, checkUpdate: CheckUpdate.SelfCorrected)
            {
                ExtraIterations = 10, ExtendBelow = 0.5,
            };
            extended.Load(0, llr, syndrome);
            Assert.Equal(1u, extended.Run(1));
            Assert.Equal(at, extended.Iterations(0));
            Assert.Equal(bob.Words.AsSpan(0, SparseParityCheckMatrix.WordsFor(code.Columns)).ToArray(), Decoded(extended));
            // Too many unsatisfied checks for the bound: a hard limit again.
            var bounded = new QuasiCyclicMinSumDecoder(code, maxIterations: limit, useSimd: simd, checkUpdate: CheckUpdate.SelfCorrected)
            {
                ExtraIterations = 10, ExtendBelow = 0,
            };
            bounded.Load(0, llr, syndrome);
            Assert.Equal(0u, bounded.Run(1));
            Assert.Equal(limit, bounded.Iterations(0));
        }
        Assert.True(tested >= 2, $"only {tested} frames needed 8 or more iterations");
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_stalled_first_attempt_is_not_extended_and_resumed_attempts_keep_their_limit(bool simd)
    {
        Skip.If(simd && !Avx2.IsSupported, "needs AVX2");
        var code = QuasiCyclicDecoderTestCodes.RateHalfZ32;
        // Far above threshold: the count of unsatisfied checks stops falling long before the extension would end.
        var decoder = new QuasiCyclicMinSumDecoder(code, maxIterations: 30, useSimd: simd, checkUpdate: CheckUpdate.SelfCorrected)
        {
            ExtraIterations = 200, ExtendBelow = 1,
        };
        var (bob, llr, syndrome) = Frame(decoder.Matrix, 0.2, 31);
        decoder.Load(0, llr, syndrome);
        Assert.Equal(0u, decoder.Run(1));
        Assert.InRange(decoder.Iterations(0), 30, 229);
        // The stop is the first iteration from the limit on without a new lowest count in the last three: replay it one
        // iteration at a time on a decoder whose attempts are single iterations.
        var stepper = new QuasiCyclicMinSumDecoder(code, decoder.Matrix, maxIterations: 1, useSimd: simd, checkUpdate: CheckUpdate.SelfCorrected)
        {
            ResumeIterations = 1, RestartAfterFailures = 0,
        };
        stepper.Load(0, llr, syndrome);
        var counts = new List<int>();
        for (var i = 0; i < 229; i++)
        {
            stepper.Run(1);
            counts.Add(stepper.UnsatisfiedChecks);
        }
        var expected = Enumerable.Range(30, 200).First(it =>
            counts.Take(it).Min() == counts.Take(it - QuasiCyclicMinSumDecoder.StallIterations).Min());
        Assert.Equal(expected, decoder.Iterations(0));

        var columns = Enumerable.Range(0, 40).Select(i => 13 * i).ToArray();
        var values = new ulong[1];
        for (var i = 0; i < columns.Length; i++) if (bob[columns[i]]) values[0] |= 1UL << i;
        // A resume limit below the stall window: were resumed attempts extended, this one surely would be.
        decoder.ResumeIterations = 2;
        decoder.Reveal(0, columns, values);
        Assert.Equal(0u, decoder.Run(1));
        Assert.Equal(decoder.ResumeIterations, decoder.Iterations(0));
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_frame_far_above_threshold_is_reported_as_failed(bool simd)
    {
        Skip.If(simd && !Avx2.IsSupported, "needs AVX2");
        var code = QuasiCyclicDecoderTestCodes.RateHalfZ32;
        var decoder = new QuasiCyclicMinSumDecoder(code, maxIterations: 30, useSimd: simd);
        var (_, llr, syndrome) = Frame(decoder.Matrix, 0.2, 31);
        decoder.Load(0, llr, syndrome);
        Assert.Equal(0u, decoder.Run(1));
        Assert.Equal(30, decoder.Iterations(0));
        Assert.False(decoder.Matrix.SatisfiesSyndrome(Decoded(decoder), syndrome));
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Resumes_after_revealed_bits_and_reaches_bobs_word(bool simd)
    {
        Skip.If(simd && !Avx2.IsSupported, "needs AVX2");
        var code = QuasiCyclicDecoderTestCodes.RateHalfZ32;
        var decoder = new QuasiCyclicMinSumDecoder(code, maxIterations: 30, useSimd: simd);
        for (var seed = 0; seed < 4; seed++)
        {
            // Above this small code's threshold (about 7 %): the first attempt fails.
            var (bob, llr, syndrome) = Frame(decoder.Matrix, 0.09, 40 + seed);
            decoder.Load(0, llr, syndrome);
            Assert.Equal(0u, decoder.Run(1));
            // Bob discloses every fourth bit: the rest of the frame is then within reach.
            var columns = Enumerable.Range(0, code.Columns / 4).Select(i => 4 * i).ToArray();
            var values = new ulong[BitVector.WordCount(columns.Length)];
            for (var i = 0; i < columns.Length; i++) if (bob[columns[i]]) values[i >> 6] |= 1UL << (i & 63);
            decoder.Reveal(0, columns, values);
            Assert.Equal(1u, decoder.Run(1));
            Assert.InRange(decoder.Iterations(0), 1, decoder.ResumeIterations);
            Assert.Equal(bob.Words.AsSpan(0, SparseParityCheckMatrix.WordsFor(code.Columns)).ToArray(), Decoded(decoder));
        }
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void After_repeated_failures_a_run_starts_over_like_a_fresh_frame_with_the_revealed_bits(bool simd)
    {
        Skip.If(simd && !Avx2.IsSupported, "needs AVX2");
        var code = QuasiCyclicDecoderTestCodes.RateHalfZ32;
        var decoder = new QuasiCyclicMinSumDecoder(code, maxIterations: 30, useSimd: simd) { RestartAfterFailures = 2 };
        var fresh = new QuasiCyclicMinSumDecoder(code, decoder.Matrix, maxIterations: 30, useSimd: simd);
        var (bob, llr, syndrome) = Frame(decoder.Matrix, 0.09, 44);
        decoder.Load(0, llr, syndrome);
        Assert.Equal(0u, decoder.Run(1));
        var revealed = new List<int>();
        for (var round = 0; round < 2; round++)
        {
            var columns = Enumerable.Range(0, 10).Select(i => 7 + 300 * i + round).ToArray();
            var values = new ulong[1];
            for (var i = 0; i < columns.Length; i++) if (bob[columns[i]]) values[0] |= 1UL << i;
            decoder.Reveal(0, columns, values);
            revealed.AddRange(columns);
            if (round == 0) Assert.Equal(0u, decoder.Run(1)); // second failure: the next run restarts
        }
        foreach (var c in revealed) llr[c] = bob[c] ? -ChannelLlr.Known : ChannelLlr.Known;
        fresh.Load(0, llr, syndrome);
        Assert.Equal(fresh.Run(1), decoder.Run(1));
        Assert.Equal(fresh.Iterations(0), decoder.Iterations(0));
        Assert.Equal(Decoded(fresh), Decoded(decoder));
    }

    [Fact]
    public void Mother_code_syndrome_by_circulant_rotations_equals_the_lifted_matrix_product()
    {
        var mother = new Qkd.PostProcessing.Reconciliation.MotherCode(QuasiCyclicDecoderTestCodes.RateHalfZ32, 100);
        var h = mother.Matrix;
        var expected = new ulong[SparseParityCheckMatrix.WordsFor(h.Rows)];
        var actual = new ulong[expected.Length];
        for (var seed = 0; seed < 5; seed++)
        {
            var word = BitVector.Random(h.Columns, new Random(seed));
            h.Syndrome(word.Words, expected);
            Array.Fill(actual, ulong.MaxValue);
            mother.Syndrome(word.Words, actual);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Block_rows_of_more_than_255_circulants_take_the_portable_path()
    {
        // The SIMD check update keeps the position of a row's smallest message in one byte.
        static QuasiCyclicCode Row(int circulants) =>
            new(32, circulants, [Enumerable.Range(0, circulants).ToArray()], [new int[circulants]]);
        Assert.False(new QuasiCyclicMinSumDecoder(Row(256)).UsesSimd);
        Assert.Throws<PlatformNotSupportedException>(() => new QuasiCyclicMinSumDecoder(Row(256), useSimd: true));
        Assert.Equal(Avx2.IsSupported, new QuasiCyclicMinSumDecoder(Row(255)).UsesSimd);
    }

    [Fact]
    public void Refuses_lanes_other_than_zero_and_a_foreign_matrix()
    {
        var code = QuasiCyclicDecoderTestCodes.RateHalfZ32;
        var decoder = new QuasiCyclicMinSumDecoder(code);
        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.Load(1, new float[code.Columns], new ulong[SparseParityCheckMatrix.WordsFor(code.Rows)]));
        Assert.Throws<ArgumentException>(() => new QuasiCyclicMinSumDecoder(code, LdpcTestData.PaperCode));
        Assert.Equal(0u, decoder.Run(0));
    }
}
