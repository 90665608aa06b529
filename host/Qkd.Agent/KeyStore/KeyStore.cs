using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace Qkd.Agent.Keys;

/// <summary>
/// The SQLite key store at <c>&lt;data&gt;/keys.db</c> (WAL, synchronous=FULL, secure_delete). Every write is one
/// BEGIN IMMEDIATE transaction, so a killed writer leaves each block whole or absent and the cursor at the
/// last commit, and two processes exporting at once are serialised by SQLite's write lock: no bit is ever
/// handed out twice. Bits are handed out in (session, block, bit) order, so two stores holding the same
/// blocks hand out the same bits in the same order. Handed-out bits are zeroed in the store.
/// One instance is safe to share between threads; every process and thread may also open its own.
/// </summary>
public sealed class KeyStore : IDisposable
{
    public const string FileName = "keys.db";
    private const int SchemaVersion = 1;

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    private KeyStore(SqliteConnection connection) => _connection = connection;

    public string DatabasePath => _connection.DataSource;

    public static KeyStore Open(string dataDir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDir);
        Directory.CreateDirectory(dataDir);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDir, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false, // the file is released on Dispose (tests delete it; another process may take over)
            DefaultTimeout = 60, // seconds a command waits for another process's write lock
        }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            var store = new KeyStore(connection);
            store.Initialise();
            return store;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Initialise()
    {
        string mode = Convert.ToString(Scalar("PRAGMA journal_mode=WAL;"), CultureInfo.InvariantCulture) ?? "";
        if (!mode.Equals("wal", StringComparison.OrdinalIgnoreCase))
            throw new KeyStoreException(KeyStoreError.Unusable, $"{FileName}: journal mode is '{mode}', WAL is required.");
        Execute("PRAGMA synchronous=FULL; PRAGMA secure_delete=ON; PRAGMA busy_timeout=60000;");
        using var tx = _connection.BeginTransaction(deferred: false);
        long version = Convert.ToInt64(Scalar("PRAGMA user_version;", tx), CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
            throw new KeyStoreException(KeyStoreError.Unusable, $"{FileName}: schema version {version} is newer than this qkd ({SchemaVersion}).");
        // The CHECKs make "every block whole, every cursor inside its block" a property of the file itself.
        Execute("""
            CREATE TABLE IF NOT EXISTS key_block (
              id            INTEGER PRIMARY KEY AUTOINCREMENT,
              session       TEXT    NOT NULL,
              block         INTEGER NOT NULL,
              qber          REAL    NOT NULL,
              profile       TEXT    NOT NULL,
              epsilon       REAL    NOT NULL,
              bit_length    INTEGER NOT NULL CHECK (bit_length > 0),
              created_utc   TEXT    NOT NULL,
              key_bits      BLOB    NOT NULL CHECK (length(key_bits) = (bit_length + 7) / 8),
              consumed_bits INTEGER NOT NULL DEFAULT 0 CHECK (consumed_bits BETWEEN 0 AND bit_length),
              UNIQUE (session, block));
            """, tx);
        Execute($"PRAGMA user_version={SchemaVersion};", tx);
        tx.Commit();
    }

    /// <summary>
    /// Stores a key block. Idempotent on (session, block): returns false and changes nothing when that
    /// block is already stored, so a re-run or resumed session never doubles key.
    /// </summary>
    public bool AddBlock(KeyBlockInfo info, ReadOnlySpan<byte> packedKey, int bitLength)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentException.ThrowIfNullOrWhiteSpace(info.Session, nameof(info));
        ArgumentException.ThrowIfNullOrWhiteSpace(info.Profile, nameof(info));
        if (bitLength <= 0) throw new ArgumentOutOfRangeException(nameof(bitLength), "A key block needs at least one bit.");
        if (packedKey.Length != PackedBits.ByteCount(bitLength))
            throw new ArgumentException($"{bitLength} bits pack into {PackedBits.ByteCount(bitLength)} bytes, not {packedKey.Length}.", nameof(packedKey));
        if (!(info.Qber is >= 0 and <= 0.5)) throw new ArgumentOutOfRangeException(nameof(info), "QBER must be in [0, 0.5].");
        if (!(info.Epsilon is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(info), "Epsilon must be in (0, 1).");

        byte[] key = packedKey.ToArray();
        try
        {
            PackedBits.ClearTail(key, bitLength);
            lock (_gate)
            {
                using var tx = _connection.BeginTransaction(deferred: false);
                using var insert = Command("""
                    INSERT INTO key_block (session, block, qber, profile, epsilon, bit_length, created_utc, key_bits)
                    VALUES ($session, $block, $qber, $profile, $epsilon, $bits, $created, $key)
                    ON CONFLICT (session, block) DO NOTHING;
                    """, tx);
                insert.Parameters.AddWithValue("$session", info.Session);
                insert.Parameters.AddWithValue("$block", info.Block);
                insert.Parameters.AddWithValue("$qber", info.Qber);
                insert.Parameters.AddWithValue("$profile", info.Profile);
                insert.Parameters.AddWithValue("$epsilon", info.Epsilon);
                insert.Parameters.AddWithValue("$bits", bitLength);
                insert.Parameters.AddWithValue("$created", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                insert.Parameters.AddWithValue("$key", key);
                bool added = insert.ExecuteNonQuery() == 1;
                tx.Commit();
                return added;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Every stored block in hand-out order, with its cursor. No key bits.</summary>
    public IReadOnlyList<KeyBlockSummary> List()
    {
        lock (_gate)
        {
            using var select = Command("""
                SELECT id, session, block, qber, profile, epsilon, bit_length, consumed_bits, created_utc
                FROM key_block ORDER BY session, block;
                """);
            using var reader = select.ExecuteReader();
            var list = new List<KeyBlockSummary>();
            while (reader.Read())
            {
                list.Add(new KeyBlockSummary(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetDouble(3),
                    reader.GetString(4), reader.GetDouble(5), reader.GetInt64(6), reader.GetInt64(7),
                    DateTimeOffset.Parse(reader.GetString(8), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)));
            }
            return list;
        }
    }

    /// <summary>Unconsumed bits in the whole store.</summary>
    public long AvailableBits()
    {
        lock (_gate) return Convert.ToInt64(Scalar("SELECT coalesce(sum(bit_length - consumed_bits), 0) FROM key_block;"), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Hands out the next <paramref name="bits"/> unconsumed bits in (session, block) order and marks them
    /// consumed (zeroed), atomically. Too little key: throws <see cref="KeyStoreError.InsufficientKey"/>, nothing consumed.
    /// </summary>
    public KeyExport Export(int bits)
    {
        if (bits <= 0) throw new ArgumentOutOfRangeException(nameof(bits), "Export at least one bit.");
        lock (_gate)
        {
            KeyExport export;
            using (var tx = _connection.BeginTransaction(deferred: false))
            {
                var plan = new List<(long Id, KeyRange Range)>();
                long needed = bits;
                long available = 0;
                using (var select = Command("""
                    SELECT id, session, block, consumed_bits, bit_length - consumed_bits FROM key_block
                    WHERE consumed_bits < bit_length ORDER BY session, block;
                    """, tx))
                using (var reader = select.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        long free = reader.GetInt64(4);
                        available += free;
                        if (needed == 0) continue;
                        long take = Math.Min(free, needed);
                        plan.Add((reader.GetInt64(0), new KeyRange(reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), take)));
                        needed -= take;
                    }
                }
                if (needed > 0)
                    throw new KeyStoreException(KeyStoreError.InsufficientKey,
                        $"Not enough key: {bits} bits asked, {available} unconsumed in the store. Nothing was consumed.");
                var output = new byte[PackedBits.ByteCount(bits)];
                long written = 0;
                foreach (var (id, range) in plan)
                {
                    TakeRange(id, range, output, written, tx);
                    written += range.BitLength;
                }
                export = new KeyExport(output, bits, plan.Select(p => p.Range).ToArray());
                tx.Commit();
            }
            TruncateWal();
            return export;
        }
    }

    /// <summary>
    /// Takes exactly the given ranges (the sender's, from an OTP header) and marks them consumed. Refuses,
    /// consuming nothing, if any bit is missing here or already consumed. Unconsumed bits ordered before a
    /// range are burned (the sender has used them), so this store stays in step with the sender's.
    /// </summary>
    public KeyExport TakeExactly(IReadOnlyList<KeyRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        if (ranges.Count == 0) throw new ArgumentException("No key ranges given.", nameof(ranges));
        long total = 0;
        foreach (var r in ranges)
        {
            if (r.BitOffset < 0 || r.BitLength <= 0) throw new KeyStoreException(KeyStoreError.RangeMissing, $"Invalid key range {Describe(r)}.");
            total = checked(total + r.BitLength);
        }
        lock (_gate)
        {
            KeyExport export;
            using (var tx = _connection.BeginTransaction(deferred: false))
            {
                var output = new byte[PackedBits.ByteCount(total)];
                long written = 0, discarded = 0;
                // Range by range, each taken before the next is checked: a later range's burn then never
                // touches an earlier range's bits, and ranges that overlap each other are refused.
                foreach (var range in ranges)
                {
                    long id, bitLength, consumed;
                    using (var find = Command("SELECT id, bit_length, consumed_bits FROM key_block WHERE session = $s AND block = $b;", tx))
                    {
                        find.Parameters.AddWithValue("$s", range.Session);
                        find.Parameters.AddWithValue("$b", range.Block);
                        using var reader = find.ExecuteReader();
                        if (!reader.Read())
                            throw new KeyStoreException(KeyStoreError.RangeMissing, $"Key range {Describe(range)}: this store has no such block. Nothing was consumed.");
                        (id, bitLength, consumed) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
                    }
                    if (range.BitOffset + range.BitLength > bitLength)
                        throw new KeyStoreException(KeyStoreError.RangeMissing, $"Key range {Describe(range)}: the block here has only {bitLength} bits. Nothing was consumed.");
                    if (consumed > range.BitOffset)
                        throw new KeyStoreException(KeyStoreError.RangeConsumed,
                            $"Key range {Describe(range)}: bits up to {consumed} of that block are already consumed here (decrypt files in the order they were encrypted). Nothing was consumed.");
                    discarded += BurnBefore(range, tx);
                    TakeRange(id, range, output, written, tx);
                    written += range.BitLength;
                }
                export = new KeyExport(output, total, ranges.ToArray(), discarded);
                tx.Commit();
            }
            TruncateWal();
            return export;
        }
    }

    /// <summary>Marks every unconsumed bit ordered before the range's first bit consumed (zeroed); returns how many.</summary>
    private long BurnBefore(KeyRange range, SqliteTransaction tx)
    {
        long burned = 0;
        using (var earlier = Command("""
            SELECT coalesce(sum(bit_length - consumed_bits), 0) FROM key_block
            WHERE (session, block) < ($s, $b) AND consumed_bits < bit_length;
            """, tx))
        {
            earlier.Parameters.AddWithValue("$s", range.Session);
            earlier.Parameters.AddWithValue("$b", range.Block);
            burned += Convert.ToInt64(earlier.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        using (var burn = Command("""
            UPDATE key_block SET key_bits = zeroblob(length(key_bits)), consumed_bits = bit_length
            WHERE (session, block) < ($s, $b) AND consumed_bits < bit_length;
            """, tx))
        {
            burn.Parameters.AddWithValue("$s", range.Session);
            burn.Parameters.AddWithValue("$b", range.Block);
            burn.ExecuteNonQuery();
        }
        // Inside the range's own block, the gap between the cursor and the range start.
        var (id, consumed) = Cursor(range, tx);
        if (consumed < range.BitOffset)
        {
            UpdateBlock(id, range.BitOffset, tx, (key, _) => PackedBits.Clear(key, consumed, range.BitOffset - consumed));
            burned += range.BitOffset - consumed;
        }
        return burned;
    }

    private (long Id, long Consumed) Cursor(KeyRange range, SqliteTransaction tx)
    {
        using var find = Command("SELECT id, consumed_bits FROM key_block WHERE session = $s AND block = $b;", tx);
        find.Parameters.AddWithValue("$s", range.Session);
        find.Parameters.AddWithValue("$b", range.Block);
        using var reader = find.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Copies a range out of its block into <paramref name="output"/> at bit <paramref name="at"/>, zeroes it there, moves the cursor to its end.</summary>
    private void TakeRange(long id, KeyRange range, byte[] output, long at, SqliteTransaction tx) =>
        UpdateBlock(id, range.BitOffset + range.BitLength, tx, (key, _) =>
        {
            PackedBits.Copy(key, range.BitOffset, output, at, range.BitLength);
            PackedBits.Clear(key, range.BitOffset, range.BitLength);
        });

    /// <summary>Reads a block's key, lets <paramref name="change"/> edit it, writes it back with the new cursor.</summary>
    private void UpdateBlock(long id, long newCursor, SqliteTransaction tx, Action<byte[], long> change)
    {
        byte[] key;
        using (var read = Command("SELECT key_bits FROM key_block WHERE id = $id;", tx))
        {
            read.Parameters.AddWithValue("$id", id);
            key = (byte[])read.ExecuteScalar()!;
        }
        try
        {
            change(key, id);
            using var write = Command("UPDATE key_block SET key_bits = $key, consumed_bits = $cursor WHERE id = $id;", tx);
            write.Parameters.AddWithValue("$key", key);
            write.Parameters.AddWithValue("$cursor", newCursor);
            write.Parameters.AddWithValue("$id", id);
            write.ExecuteNonQuery();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// Copies the WAL into the database and truncates it, so the pre-zeroing page images of handed-out bits do
    /// not linger in keys.db-wal. Best effort: a reader in another process may hold it back until later.
    /// </summary>
    private void TruncateWal() => Execute("PRAGMA wal_checkpoint(TRUNCATE);");

    /// <summary>SQLite's own consistency check: "ok" when the file is sound.</summary>
    public string IntegrityCheck()
    {
        lock (_gate) return Convert.ToString(Scalar("PRAGMA integrity_check;"), CultureInfo.InvariantCulture) ?? "";
    }

    private static string Describe(KeyRange r) =>
        $"session '{r.Session}' block {r.Block} bits {r.BitOffset}..{r.BitOffset + r.BitLength}";

    private SqliteCommand Command(string sql, SqliteTransaction? tx = null)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        return command;
    }

    private void Execute(string sql, SqliteTransaction? tx = null)
    {
        using var command = Command(sql, tx);
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql, SqliteTransaction? tx = null)
    {
        using var command = Command(sql, tx);
        return command.ExecuteScalar();
    }

    public void Dispose() => _connection.Dispose();
}
