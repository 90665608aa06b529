// Declared reference surface: nanoFramework 1.x compiler-support types, System.Diagnostics,
// System.IO streams and System.Text (mscorlib, nanoFramework.System.Text, nanoFramework.System.IO.Streams).
// No IsVolatile: nanoFramework 1.x has no `volatile`; use Interlocked or lock.
// NOT compiled into the test assembly (see CoreLibrary.System.cs).
#pragma warning disable
namespace System.Runtime.CompilerServices
{
    public static class RuntimeHelpers
    {
        public static void InitializeArray(Array array, RuntimeFieldHandle fldHandle) { }
        public static object GetObjectValue(object obj) => throw null;
        public static void RunClassConstructor(RuntimeTypeHandle type) { }
        public static int OffsetToStringData => throw null;
    }

    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Method | AttributeTargets.Assembly)] public sealed class ExtensionAttribute : Attribute { }
    [AttributeUsage(AttributeTargets.All, Inherited = true)] public sealed class CompilerGeneratedAttribute : Attribute { }
    [AttributeUsage(AttributeTargets.Property, Inherited = true)] public sealed class IndexerNameAttribute : Attribute { public IndexerNameAttribute(string indexerName) { } }
    [AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)] public sealed class InternalsVisibleToAttribute : Attribute { public InternalsVisibleToAttribute(string assemblyName) { } }
    [AttributeUsage(AttributeTargets.Parameter, Inherited = false)] public sealed class CallerMemberNameAttribute : Attribute { }
    [AttributeUsage(AttributeTargets.Parameter, Inherited = false)] public sealed class CallerArgumentExpressionAttribute : Attribute { public CallerArgumentExpressionAttribute(string parameterName) { } }
    public static class IsExternalInit { }

    public enum MethodImplOptions { NoInlining = 0x0008, ForwardRef = 0x0010, Synchronized = 0x0020, InternalCall = 0x1000 }

    [AttributeUsage(AttributeTargets.Constructor | AttributeTargets.Method, Inherited = false)]
    public sealed class MethodImplAttribute : Attribute
    {
        public MethodImplAttribute(MethodImplOptions methodImplOptions) { }
    }
}

namespace System.Runtime.InteropServices
{
    public enum LayoutKind { Sequential = 0, Explicit = 2, Auto = 3 }
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
    public sealed class StructLayoutAttribute : Attribute { public StructLayoutAttribute(LayoutKind layoutKind) { } }
    [AttributeUsage(AttributeTargets.Field, Inherited = false)]
    public sealed class FieldOffsetAttribute : Attribute { public FieldOffsetAttribute(int offset) { } }
}

namespace System.Reflection
{
    [AttributeUsage(AttributeTargets.Assembly, Inherited = false)] public sealed class AssemblyTitleAttribute : Attribute { public AssemblyTitleAttribute(string title) { } }
    [AttributeUsage(AttributeTargets.Assembly, Inherited = false)] public sealed class AssemblyDescriptionAttribute : Attribute { public AssemblyDescriptionAttribute(string description) { } }
    [AttributeUsage(AttributeTargets.Assembly, Inherited = false)] public sealed class AssemblyCompanyAttribute : Attribute { public AssemblyCompanyAttribute(string company) { } }
    [AttributeUsage(AttributeTargets.Assembly, Inherited = false)] public sealed class AssemblyProductAttribute : Attribute { public AssemblyProductAttribute(string product) { } }
    [AttributeUsage(AttributeTargets.Assembly, Inherited = false)] public sealed class AssemblyCopyrightAttribute : Attribute { public AssemblyCopyrightAttribute(string copyright) { } }
    [AttributeUsage(AttributeTargets.Assembly, Inherited = false)] public sealed class AssemblyVersionAttribute : Attribute { public AssemblyVersionAttribute(string version) { } }
    [AttributeUsage(AttributeTargets.Assembly, Inherited = false)] public sealed class AssemblyFileVersionAttribute : Attribute { public AssemblyFileVersionAttribute(string version) { } }
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface, Inherited = true)] public sealed class DefaultMemberAttribute : Attribute { public DefaultMemberAttribute(string memberName) { } }
}

namespace System.Diagnostics
{
    public static class Debug
    {
        [Conditional("DEBUG")] public static void WriteLine(string message) { }
        [Conditional("DEBUG")] public static void Write(string message) { }
        [Conditional("DEBUG")] public static void Assert(bool condition) { }
        [Conditional("DEBUG")] public static void Assert(bool condition, string message) { }
        public static void EnableGCMessages(bool enable) { }
    }

    public static class Debugger
    {
        public static bool IsAttached => throw null;
        public static void Break() { }
    }

    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true)]
    public sealed class ConditionalAttribute : Attribute { public ConditionalAttribute(string conditionString) { } }

    [AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Module)]
    public sealed class DebuggableAttribute : Attribute
    {
        [Flags]
        public enum DebuggingModes { None = 0x0, Default = 0x1, DisableOptimizations = 0x100, IgnoreSymbolStoreSequencePoints = 0x2, EnableEditAndContinue = 0x4 }
        public DebuggableAttribute(DebuggingModes modes) { }
    }

    public enum DebuggerBrowsableState { Never = 0, Collapsed = 2, RootHidden = 3 }
    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
    public sealed class DebuggerBrowsableAttribute : Attribute { public DebuggerBrowsableAttribute(DebuggerBrowsableState state) { } }
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Constructor | AttributeTargets.Method | AttributeTargets.Property, Inherited = false)]
    public sealed class DebuggerHiddenAttribute : Attribute { }
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Constructor | AttributeTargets.Method, Inherited = false)]
    public sealed class DebuggerStepThroughAttribute : Attribute { }
}

namespace System.IO
{
    public enum SeekOrigin { Begin = 0, Current = 1, End = 2 }

    public class IOException : SystemException
    {
        public IOException() { }
        public IOException(string message) { }
        public IOException(string message, Exception innerException) { }
    }

    public abstract class Stream : MarshalByRefObject, IDisposable
    {
        public abstract bool CanRead { get; }
        public abstract bool CanSeek { get; }
        public abstract bool CanWrite { get; }
        public virtual bool CanTimeout => throw null;
        public abstract long Length { get; }
        public abstract long Position { get; set; }
        public virtual int ReadTimeout { get => throw null; set { } }
        public virtual int WriteTimeout { get => throw null; set { } }
        public virtual void Close() { }
        public void Dispose() { }
        protected virtual void Dispose(bool disposing) { }
        public abstract void Flush();
        public abstract long Seek(long offset, SeekOrigin origin);
        public abstract void SetLength(long value);
        public abstract int Read(byte[] buffer, int offset, int count);
        public virtual int ReadByte() => throw null;
        public abstract void Write(byte[] buffer, int offset, int count);
        public virtual void WriteByte(byte value) { }
    }

    public class MemoryStream : Stream
    {
        public MemoryStream() { }
        public MemoryStream(byte[] buffer) { }
        public MemoryStream(byte[] buffer, bool writable) { }
        public override bool CanRead => throw null;
        public override bool CanSeek => throw null;
        public override bool CanWrite => throw null;
        public override long Length => throw null;
        public override long Position { get => throw null; set { } }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw null;
        public override void SetLength(long value) { }
        public override int Read(byte[] buffer, int offset, int count) => throw null;
        public override void Write(byte[] buffer, int offset, int count) { }
        public virtual byte[] ToArray() => throw null;
    }
}

namespace System.Text
{
    public abstract class Encoding
    {
        public static Encoding UTF8 => throw null;
        public virtual byte[] GetBytes(string s) => throw null;
        public virtual int GetBytes(string s, int charIndex, int charCount, byte[] bytes, int byteIndex) => throw null;
        public virtual char[] GetChars(byte[] bytes) => throw null;
        public virtual char[] GetChars(byte[] bytes, int byteIndex, int byteCount) => throw null;
        public virtual string GetString(byte[] bytes, int index, int count) => throw null;
        public abstract Decoder GetDecoder();
    }

    public abstract class Decoder
    {
        public abstract void Convert(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex, int charCount, bool flush, out int bytesUsed, out int charsUsed, out bool completed);
    }

    public class UTF8Encoding : Encoding
    {
        public UTF8Encoding() { }
        public override byte[] GetBytes(string s) => throw null;
        public override int GetBytes(string s, int charIndex, int charCount, byte[] bytes, int byteIndex) => throw null;
        public override char[] GetChars(byte[] bytes) => throw null;
        public override char[] GetChars(byte[] bytes, int byteIndex, int byteCount) => throw null;
        public override string GetString(byte[] bytes, int index, int count) => throw null;
        public override Decoder GetDecoder() => throw null;
    }

    public sealed class StringBuilder
    {
        public StringBuilder() { }
        public StringBuilder(int capacity) { }
        public StringBuilder(string value) { }
        public StringBuilder(string value, int capacity) { }
        public int Length { get => throw null; set { } }
        public int Capacity { get => throw null; set { } }
        public char this[int index] { get => throw null; set { } }
        public StringBuilder Append(string value) => throw null;
        public StringBuilder Append(string value, int startIndex, int count) => throw null;
        public StringBuilder Append(char value) => throw null;
        public StringBuilder Append(char value, int repeatCount) => throw null;
        public StringBuilder Append(char[] value) => throw null;
        public StringBuilder Append(bool value) => throw null;
        public StringBuilder Append(byte value) => throw null;
        public StringBuilder Append(sbyte value) => throw null;
        public StringBuilder Append(short value) => throw null;
        public StringBuilder Append(ushort value) => throw null;
        public StringBuilder Append(int value) => throw null;
        public StringBuilder Append(uint value) => throw null;
        public StringBuilder Append(long value) => throw null;
        public StringBuilder Append(ulong value) => throw null;
        public StringBuilder Append(float value) => throw null;
        public StringBuilder Append(double value) => throw null;
        public StringBuilder Append(object value) => throw null;
        public StringBuilder AppendLine() => throw null;
        public StringBuilder AppendLine(string value) => throw null;
        public StringBuilder Clear() => throw null;
        public StringBuilder Insert(int index, string value) => throw null;
        public StringBuilder Remove(int startIndex, int length) => throw null;
        public StringBuilder Replace(string oldValue, string newValue) => throw null;
        public override string ToString() => throw null;
        public string ToString(int startIndex, int length) => throw null;
    }
}
