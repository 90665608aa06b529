using System.Security.Authentication;
using Qkd.PostProcessing.Bits;
using Qkd.PostProcessing.Reconciliation;

namespace Qkd.PostProcessing.Authentication
{
    /// <summary>
    /// Secret bits for authentication, handed out strictly in order and never twice: a taken bit is
    /// zeroed in the buffer and the read position only moves forward. Replenished by appending
    /// (pre-shared secret first, then key reserved from generated blocks). Every bit is accounted.
    /// Thread-safe (one lock); an empty pool refuses with <see cref="AuthenticationException"/>.
    /// </summary>
    public sealed class KeyPool
    {
        private readonly object _gate = new();
        private ulong[] _words;
        private long _start;   // absolute bit index of _words' bit 0
        private long _read;    // absolute index of the next bit to hand out
        private long _end;     // absolute index one past the last bit held

        public KeyPool(string name)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            _words = new ulong[16];
        }

        /// <summary>Label for errors and reports ("alice->bob").</summary>
        public string Name { get; }

        public long AddedBits { get { lock (_gate) return _end; } }

        public long ConsumedBits { get { lock (_gate) return _read; } }

        public long AvailableBits { get { lock (_gate) return _end - _read; } }

        /// <summary>Appends <paramref name="bits"/> to the pool (the caller's copy stays the caller's to wipe).</summary>
        public void Add(BitVector bits)
        {
            ArgumentNullException.ThrowIfNull(bits);
            lock (_gate)
            {
                Compact();
                long needBits = _end - _start + bits.Length;
                int needWords = checked((int)((needBits + 63) >> 6));
                if (needWords > _words.Length) Array.Resize(ref _words, Math.Max(needWords, _words.Length * 2));
                PackedBits.Copy(bits.Words, 0, _words, _end - _start, bits.Length);
                _end += bits.Length;
            }
        }

        /// <summary>A copy of the bits not yet handed out (to persist the pool between sessions); the caller wipes it.</summary>
        public BitVector CopyRemaining()
        {
            lock (_gate)
            {
                int count = checked((int)(_end - _read));
                var result = new BitVector(count);
                PackedBits.Copy(_words, _read - _start, result.Words, 0, count);
                return result;
            }
        }

        /// <summary>The next 64 bits; refuses (without taking anything) when fewer remain.</summary>
        public ulong Take64()
        {
            lock (_gate)
            {
                if (_end - _read < 64)
                    throw new AuthenticationException(
                        $"authentication key pool {Name} is exhausted ({_end - _read} bits left, 64 needed; {_read} used so far)");
                long offset = _read - _start;
                ulong value = PackedBits.Read64(_words, offset);
                PackedBits.Write(_words, offset, 0, 64);
                _read += 64;
                return value;
            }
        }

        /// <summary>Drops whole consumed words (already zero) from the front of the buffer.</summary>
        private void Compact()
        {
            int consumedWords = (int)((_read - _start) >> 6);
            if (consumedWords == 0) return;
            int liveWords = (int)((_end - _start + 63) >> 6) - consumedWords;
            Array.Copy(_words, consumedWords, _words, 0, Math.Max(0, liveWords));
            Array.Clear(_words, Math.Max(0, liveWords), _words.Length - Math.Max(0, liveWords));
            _start += 64L * consumedWords;
        }
    }
}
