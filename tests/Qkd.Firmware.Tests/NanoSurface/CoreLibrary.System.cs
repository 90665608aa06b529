// Declared reference surface: nanoFramework 1.x mscorlib (nanoFramework.CoreLibrary), the part our
// portable sources may use. Shapes follow nanoFramework's published API; bodies are placeholders.
// NOT compiled into the test assembly: the portability guard compiles it with NoStdLib.
// Deliberately absent (nanoFramework 1.x has none of it): System.Collections.Generic, Nullable<T>,
// Span<T>/ReadOnlySpan<T>, ValueTuple, Task, LINQ, IEquatable<T>, Environment, Stopwatch.
#pragma warning disable
namespace System
{
    public class Object
    {
        public Object() { }
        public virtual bool Equals(object obj) => throw null;
        public static bool Equals(object objA, object objB) => throw null;
        public static bool ReferenceEquals(object objA, object objB) => throw null;
        public virtual int GetHashCode() => throw null;
        public Type GetType() => throw null;
        public virtual string ToString() => throw null;
        protected object MemberwiseClone() => throw null;
        ~Object() { }
    }

    public abstract class ValueType
    {
        public override bool Equals(object obj) => throw null;
        public override int GetHashCode() => throw null;
    }

    public abstract class Enum : ValueType { }
    public struct Void { }

    public struct Boolean
    {
        private bool m_value;
        public const string TrueString = "True";
        public const string FalseString = "False";
        public override string ToString() => throw null;
        public static bool Parse(string value) => throw null;
    }

    public struct Char
    {
        private char m_value;
        public const char MaxValue = (char)0xFFFF;
        public const char MinValue = (char)0;
        public override string ToString() => throw null;
        public char ToLower() => throw null;
        public char ToUpper() => throw null;
    }

    public struct SByte { private sbyte m_value; public const sbyte MaxValue = 127; public const sbyte MinValue = -128; public override string ToString() => throw null; public string ToString(string format) => throw null; public static sbyte Parse(string s) => throw null; }
    public struct Byte { private byte m_value; public const byte MaxValue = 255; public const byte MinValue = 0; public override string ToString() => throw null; public string ToString(string format) => throw null; public static byte Parse(string s) => throw null; public static bool TryParse(string s, out byte result) => throw null; }
    public struct Int16 { private short m_value; public const short MaxValue = 32767; public const short MinValue = -32768; public override string ToString() => throw null; public string ToString(string format) => throw null; public static short Parse(string s) => throw null; }
    public struct UInt16 { private ushort m_value; public const ushort MaxValue = 65535; public const ushort MinValue = 0; public override string ToString() => throw null; public string ToString(string format) => throw null; public static ushort Parse(string s) => throw null; }
    public struct Int32 { private int m_value; public const int MaxValue = 2147483647; public const int MinValue = -2147483648; public override string ToString() => throw null; public string ToString(string format) => throw null; public static int Parse(string s) => throw null; public static bool TryParse(string s, out int result) => throw null; }
    public struct UInt32 { private uint m_value; public const uint MaxValue = 4294967295; public const uint MinValue = 0; public override string ToString() => throw null; public string ToString(string format) => throw null; public static uint Parse(string s) => throw null; }
    public struct Int64 { private long m_value; public const long MaxValue = 9223372036854775807; public const long MinValue = -9223372036854775808; public override string ToString() => throw null; public string ToString(string format) => throw null; public static long Parse(string s) => throw null; public static bool TryParse(string s, out long result) => throw null; }
    public struct UInt64 { private ulong m_value; public const ulong MaxValue = 18446744073709551615; public const ulong MinValue = 0; public override string ToString() => throw null; public string ToString(string format) => throw null; public static ulong Parse(string s) => throw null; }

    public struct Single
    {
        private float m_value;
        public const float MaxValue = 3.40282347E+38f;
        public const float MinValue = -3.40282347E+38f;
        public const float Epsilon = 1.401298E-45f;
        public const float NaN = 0.0f / 0.0f;
        public const float PositiveInfinity = 1.0f / 0.0f;
        public const float NegativeInfinity = -1.0f / 0.0f;
        public static bool IsNaN(float f) => throw null;
        public static bool IsInfinity(float f) => throw null;
        public override string ToString() => throw null;
        public string ToString(string format) => throw null;
        public static float Parse(string s) => throw null;
    }

    public struct Double
    {
        private double m_value;
        public const double MaxValue = 1.7976931348623157E+308;
        public const double MinValue = -1.7976931348623157E+308;
        public const double Epsilon = 4.9406564584124654E-324;
        public const double NaN = 0.0 / 0.0;
        public const double PositiveInfinity = 1.0 / 0.0;
        public const double NegativeInfinity = -1.0 / 0.0;
        public static bool IsNaN(double d) => throw null;
        public static bool IsInfinity(double d) => throw null;
        public static bool IsPositiveInfinity(double d) => throw null;
        public static bool IsNegativeInfinity(double d) => throw null;
        public override string ToString() => throw null;
        public string ToString(string format) => throw null;
        public static double Parse(string s) => throw null;
        public static bool TryParse(string s, out double result) => throw null;
    }

    public struct IntPtr { private int m_value; public static readonly IntPtr Zero; }
    public struct UIntPtr { private uint m_value; }

    public struct RuntimeTypeHandle { }
    public struct RuntimeFieldHandle { }
    public struct RuntimeMethodHandle { }

    public abstract class Type
    {
        public static Type GetTypeFromHandle(RuntimeTypeHandle handle) => throw null;
        public abstract string Name { get; }
        public abstract string FullName { get; }
    }

    public sealed class String : IComparable, Collections.IEnumerable
    {
        public static readonly string Empty = "";
        public String(char[] value) { }
        public String(char[] value, int startIndex, int length) { }
        public String(char c, int count) { }
        public int Length => throw null;
        [Runtime.CompilerServices.IndexerName("Chars")]
        public char this[int index] => throw null;
        public override bool Equals(object obj) => throw null;
        public static bool Equals(string a, string b) => throw null;
        public static bool operator ==(string a, string b) => throw null;
        public static bool operator !=(string a, string b) => throw null;
        public override int GetHashCode() => throw null;
        public override string ToString() => throw null;
        public Collections.IEnumerator GetEnumerator() => throw null;
        public int CompareTo(object value) => throw null;
        public int CompareTo(string strB) => throw null;
        public static int Compare(string strA, string strB) => throw null;
        public char[] ToCharArray() => throw null;
        public char[] ToCharArray(int startIndex, int length) => throw null;
        public string[] Split(params char[] separator) => throw null;
        public string[] Split(char[] separator, int count) => throw null;
        public string Substring(int startIndex) => throw null;
        public string Substring(int startIndex, int length) => throw null;
        public string Trim() => throw null;
        public string Trim(params char[] trimChars) => throw null;
        public string TrimStart(params char[] trimChars) => throw null;
        public string TrimEnd(params char[] trimChars) => throw null;
        public int IndexOf(char value) => throw null;
        public int IndexOf(char value, int startIndex) => throw null;
        public int IndexOf(char value, int startIndex, int count) => throw null;
        public int IndexOf(string value) => throw null;
        public int IndexOf(string value, int startIndex) => throw null;
        public int IndexOfAny(char[] anyOf) => throw null;
        public int LastIndexOf(char value) => throw null;
        public int LastIndexOf(string value) => throw null;
        public bool Contains(string value) => throw null;
        public bool StartsWith(string value) => throw null;
        public bool EndsWith(string value) => throw null;
        public string ToLower() => throw null;
        public string ToUpper() => throw null;
        public string PadLeft(int totalWidth) => throw null;
        public string PadLeft(int totalWidth, char paddingChar) => throw null;
        public string PadRight(int totalWidth) => throw null;
        public string PadRight(int totalWidth, char paddingChar) => throw null;
        public string Replace(string oldValue, string newValue) => throw null;
        public static bool IsNullOrEmpty(string value) => throw null;
        public static string Concat(object arg0) => throw null;
        public static string Concat(object arg0, object arg1) => throw null;
        public static string Concat(object arg0, object arg1, object arg2) => throw null;
        public static string Concat(params object[] args) => throw null;
        public static string Concat(string str0, string str1) => throw null;
        public static string Concat(string str0, string str1, string str2) => throw null;
        public static string Concat(string str0, string str1, string str2, string str3) => throw null;
        public static string Concat(params string[] values) => throw null;
        public static string Format(string format, params object[] args) => throw null;
        public static string Intern(string str) => throw null;
    }

    public abstract class Array : ICloneable, Collections.IList
    {
        public int Length => throw null;
        public int Rank => throw null;
        public static Array CreateInstance(Type elementType, int length) => throw null;
        public static void Copy(Array sourceArray, Array destinationArray, int length) => throw null;
        public static void Copy(Array sourceArray, int sourceIndex, Array destinationArray, int destinationIndex, int length) => throw null;
        public static void Clear(Array array, int index, int length) => throw null;
        public static int IndexOf(Array array, object value) => throw null;
        public static int IndexOf(Array array, object value, int startIndex) => throw null;
        public static int IndexOf(Array array, object value, int startIndex, int count) => throw null;
        public object GetValue(int index) => throw null;
        public void SetValue(object value, int index) => throw null;
        public object Clone() => throw null;
        public void CopyTo(Array array, int index) => throw null;
        public Collections.IEnumerator GetEnumerator() => throw null;
        public int Count => throw null;
        public object SyncRoot => throw null;
        public bool IsSynchronized => throw null;
        public bool IsReadOnly => throw null;
        public bool IsFixedSize => throw null;
        public object this[int index] { get => throw null; set => throw null; }
        public int Add(object value) => throw null;
        public bool Contains(object value) => throw null;
        public int IndexOf(object value) => throw null;
        public void Insert(int index, object value) => throw null;
        public void Remove(object value) => throw null;
        public void RemoveAt(int index) => throw null;
        public void Clear() => throw null;
    }

    public abstract class Delegate : ICloneable
    {
        public object Target => throw null;
        public static Delegate Combine(Delegate a, Delegate b) => throw null;
        public static Delegate Remove(Delegate source, Delegate value) => throw null;
        public static bool operator ==(Delegate d1, Delegate d2) => throw null;
        public static bool operator !=(Delegate d1, Delegate d2) => throw null;
        public override bool Equals(object obj) => throw null;
        public override int GetHashCode() => throw null;
        public object Clone() => throw null;
    }

    public abstract class MulticastDelegate : Delegate
    {
        public static bool operator ==(MulticastDelegate d1, MulticastDelegate d2) => throw null;
        public static bool operator !=(MulticastDelegate d1, MulticastDelegate d2) => throw null;
        public override bool Equals(object obj) => throw null;
        public override int GetHashCode() => throw null;
    }

    public delegate void Action();
    public delegate void EventHandler(object sender, EventArgs e);
    public delegate void AsyncCallback(IAsyncResult ar);
    public interface IAsyncResult { bool IsCompleted { get; } }

    public class EventArgs
    {
        public static readonly EventArgs Empty;
        public EventArgs() { }
    }

    public interface IDisposable { void Dispose(); }
    public interface ICloneable { object Clone(); }
    public interface IComparable { int CompareTo(object obj); }
    public interface IFormatProvider { object GetFormat(Type formatType); }
    public interface IFormattable { string ToString(string format, IFormatProvider formatProvider); }

    public class MarshalByRefObject { }

    public static class Math
    {
        public const double E = 2.7182818284590451;
        public const double PI = 3.1415926535897931;
        public static int Abs(int value) => throw null;
        public static long Abs(long value) => throw null;
        public static float Abs(float value) => throw null;
        public static double Abs(double value) => throw null;
        public static int Max(int val1, int val2) => throw null;
        public static uint Max(uint val1, uint val2) => throw null;
        public static long Max(long val1, long val2) => throw null;
        public static ulong Max(ulong val1, ulong val2) => throw null;
        public static double Max(double val1, double val2) => throw null;
        public static float Max(float val1, float val2) => throw null;
        public static int Min(int val1, int val2) => throw null;
        public static uint Min(uint val1, uint val2) => throw null;
        public static long Min(long val1, long val2) => throw null;
        public static ulong Min(ulong val1, ulong val2) => throw null;
        public static double Min(double val1, double val2) => throw null;
        public static float Min(float val1, float val2) => throw null;
        public static double Round(double a) => throw null;
        public static double Floor(double d) => throw null;
        public static double Ceiling(double a) => throw null;
        public static double Truncate(double d) => throw null;
        public static double Sqrt(double d) => throw null;
        public static double Pow(double x, double y) => throw null;
        public static double Exp(double d) => throw null;
        public static double Log(double d) => throw null;
        public static double Log10(double d) => throw null;
        public static double Sin(double a) => throw null;
        public static double Cos(double a) => throw null;
        public static double Tan(double a) => throw null;
        public static double Atan(double d) => throw null;
        public static double Atan2(double y, double x) => throw null;
        public static int Sign(double value) => throw null;
        public static double IEEERemainder(double x, double y) => throw null;
    }

    public static class BitConverter
    {
        public static readonly bool IsLittleEndian;
        public static byte[] GetBytes(bool value) => throw null;
        public static byte[] GetBytes(char value) => throw null;
        public static byte[] GetBytes(short value) => throw null;
        public static byte[] GetBytes(ushort value) => throw null;
        public static byte[] GetBytes(int value) => throw null;
        public static byte[] GetBytes(uint value) => throw null;
        public static byte[] GetBytes(long value) => throw null;
        public static byte[] GetBytes(ulong value) => throw null;
        public static byte[] GetBytes(float value) => throw null;
        public static byte[] GetBytes(double value) => throw null;
        public static bool ToBoolean(byte[] value, int startIndex) => throw null;
        public static char ToChar(byte[] value, int startIndex) => throw null;
        public static short ToInt16(byte[] value, int startIndex) => throw null;
        public static ushort ToUInt16(byte[] value, int startIndex) => throw null;
        public static int ToInt32(byte[] value, int startIndex) => throw null;
        public static uint ToUInt32(byte[] value, int startIndex) => throw null;
        public static long ToInt64(byte[] value, int startIndex) => throw null;
        public static ulong ToUInt64(byte[] value, int startIndex) => throw null;
        public static float ToSingle(byte[] value, int startIndex) => throw null;
        public static double ToDouble(byte[] value, int startIndex) => throw null;
        public static long DoubleToInt64Bits(double value) => throw null;
        public static double Int64BitsToDouble(long value) => throw null;
        public static string ToString(byte[] value) => throw null;
        public static string ToString(byte[] value, int startIndex) => throw null;
        public static string ToString(byte[] value, int startIndex, int length) => throw null;
    }

    public static class Convert
    {
        public static bool ToBoolean(byte value) => throw null;
        public static char ToChar(ushort value) => throw null;
        public static sbyte ToSByte(string value) => throw null;
        public static byte ToByte(string value) => throw null;
        public static byte ToByte(string value, int fromBase) => throw null;
        public static short ToInt16(string value) => throw null;
        public static ushort ToUInt16(string value) => throw null;
        public static int ToInt32(string value) => throw null;
        public static int ToInt32(string value, int fromBase) => throw null;
        public static uint ToUInt32(string value) => throw null;
        public static long ToInt64(string value) => throw null;
        public static ulong ToUInt64(string value) => throw null;
        public static double ToDouble(string value) => throw null;
        public static string ToBase64String(byte[] inArray) => throw null;
        public static string ToBase64String(byte[] inArray, int offset, int length) => throw null;
        public static byte[] FromBase64String(string s) => throw null;
    }

    public struct TimeSpan
    {
        public const long TicksPerMillisecond = 10000;
        public const long TicksPerSecond = 10000000;
        public const long TicksPerMinute = 600000000;
        public const long TicksPerHour = 36000000000;
        public const long TicksPerDay = 864000000000;
        public static readonly TimeSpan Zero;
        public static readonly TimeSpan MaxValue;
        public static readonly TimeSpan MinValue;
        public TimeSpan(long ticks) { }
        public TimeSpan(int hours, int minutes, int seconds) { }
        public TimeSpan(int days, int hours, int minutes, int seconds) { }
        public TimeSpan(int days, int hours, int minutes, int seconds, int milliseconds) { }
        public long Ticks => throw null;
        public int Days => throw null;
        public int Hours => throw null;
        public int Minutes => throw null;
        public int Seconds => throw null;
        public int Milliseconds => throw null;
        public double TotalDays => throw null;
        public double TotalHours => throw null;
        public double TotalMinutes => throw null;
        public double TotalSeconds => throw null;
        public double TotalMilliseconds => throw null;
        public static TimeSpan FromTicks(long value) => throw null;
        public static TimeSpan FromMilliseconds(long value) => throw null;
        public static TimeSpan FromSeconds(long value) => throw null;
        public static TimeSpan FromMinutes(long value) => throw null;
        public static TimeSpan FromHours(long value) => throw null;
        public static TimeSpan FromDays(long value) => throw null;
        public TimeSpan Add(TimeSpan ts) => throw null;
        public TimeSpan Subtract(TimeSpan ts) => throw null;
        public TimeSpan Negate() => throw null;
        public TimeSpan Duration() => throw null;
        public int CompareTo(object value) => throw null;
        public static int Compare(TimeSpan t1, TimeSpan t2) => throw null;
        public override bool Equals(object obj) => throw null;
        public override int GetHashCode() => throw null;
        public override string ToString() => throw null;
        public static TimeSpan operator +(TimeSpan t1, TimeSpan t2) => throw null;
        public static TimeSpan operator -(TimeSpan t1, TimeSpan t2) => throw null;
        public static TimeSpan operator -(TimeSpan t) => throw null;
        public static bool operator ==(TimeSpan t1, TimeSpan t2) => throw null;
        public static bool operator !=(TimeSpan t1, TimeSpan t2) => throw null;
        public static bool operator <(TimeSpan t1, TimeSpan t2) => throw null;
        public static bool operator <=(TimeSpan t1, TimeSpan t2) => throw null;
        public static bool operator >(TimeSpan t1, TimeSpan t2) => throw null;
        public static bool operator >=(TimeSpan t1, TimeSpan t2) => throw null;
    }

    public enum DateTimeKind { Utc = 1, Local = 2 }
    public enum DayOfWeek { Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday }

    public struct DateTime
    {
        public static readonly DateTime MinValue;
        public static readonly DateTime MaxValue;
        public static readonly DateTime UnixEpoch;
        public DateTime(long ticks) { }
        public DateTime(long ticks, DateTimeKind kind) { }
        public DateTime(int year, int month, int day) { }
        public DateTime(int year, int month, int day, int hour, int minute, int second) { }
        public DateTime(int year, int month, int day, int hour, int minute, int second, int millisecond) { }
        public static DateTime UtcNow => throw null;
        public static DateTime Today => throw null;
        public long Ticks => throw null;
        public DateTimeKind Kind => throw null;
        public int Year => throw null;
        public int Month => throw null;
        public int Day => throw null;
        public int Hour => throw null;
        public int Minute => throw null;
        public int Second => throw null;
        public int Millisecond => throw null;
        public DayOfWeek DayOfWeek => throw null;
        public DateTime Date => throw null;
        public TimeSpan TimeOfDay => throw null;
        public DateTime Add(TimeSpan val) => throw null;
        public DateTime AddTicks(long val) => throw null;
        public DateTime AddMilliseconds(double val) => throw null;
        public DateTime AddSeconds(double val) => throw null;
        public DateTime AddMinutes(double val) => throw null;
        public DateTime AddHours(double val) => throw null;
        public DateTime AddDays(double val) => throw null;
        public TimeSpan Subtract(DateTime val) => throw null;
        public DateTime Subtract(TimeSpan val) => throw null;
        public long ToUnixTimeSeconds() => throw null;
        public static DateTime FromUnixTimeSeconds(long seconds) => throw null;
        public override bool Equals(object obj) => throw null;
        public override int GetHashCode() => throw null;
        public override string ToString() => throw null;
        public string ToString(string format) => throw null;
        public static DateTime operator +(DateTime d, TimeSpan t) => throw null;
        public static DateTime operator -(DateTime d, TimeSpan t) => throw null;
        public static TimeSpan operator -(DateTime d1, DateTime d2) => throw null;
        public static bool operator ==(DateTime d1, DateTime d2) => throw null;
        public static bool operator !=(DateTime d1, DateTime d2) => throw null;
        public static bool operator <(DateTime d1, DateTime d2) => throw null;
        public static bool operator <=(DateTime d1, DateTime d2) => throw null;
        public static bool operator >(DateTime d1, DateTime d2) => throw null;
        public static bool operator >=(DateTime d1, DateTime d2) => throw null;
    }

    public class Random
    {
        public Random() { }
        public Random(int seed) { }
        public virtual int Next() => throw null;
        public virtual int Next(int maxValue) => throw null;
        public virtual double NextDouble() => throw null;
        public virtual void NextBytes(byte[] buffer) => throw null;
    }

    public struct Guid
    {
        public static readonly Guid Empty;
        public Guid(byte[] b) { }
        public static Guid NewGuid() => throw null;
        public byte[] ToByteArray() => throw null;
        public override string ToString() => throw null;
    }

    public static class GC
    {
        public static void WaitForPendingFinalizers() => throw null;
        public static void SuppressFinalize(object obj) => throw null;
        public static void ReRegisterForFinalize(object obj) => throw null;
        public static bool AnyPendingFinalizers() => throw null;
    }
}
