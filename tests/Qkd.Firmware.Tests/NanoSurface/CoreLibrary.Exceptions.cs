// Declared reference surface: nanoFramework 1.x mscorlib exception types and attributes.
// NOT compiled into the test assembly (see CoreLibrary.System.cs).
#pragma warning disable
namespace System
{
    public class Exception
    {
        public Exception() { }
        public Exception(string message) { }
        public Exception(string message, Exception innerException) { }
        public virtual string Message => throw null;
        public Exception InnerException => throw null;
        public virtual string StackTrace => throw null;
        public override string ToString() => throw null;
    }

    public class SystemException : Exception { public SystemException() { } public SystemException(string message) { } public SystemException(string message, Exception innerException) { } }
    public class ApplicationException : Exception { public ApplicationException() { } public ApplicationException(string message) { } public ApplicationException(string message, Exception innerException) { } }

    public class ArgumentException : SystemException
    {
        public ArgumentException() { }
        public ArgumentException(string message) { }
        public ArgumentException(string message, Exception innerException) { }
        public ArgumentException(string message, string paramName) { }
        public ArgumentException(string message, string paramName, Exception innerException) { }
        public virtual string ParamName => throw null;
    }

    public class ArgumentNullException : ArgumentException { public ArgumentNullException() { } public ArgumentNullException(string paramName) { } public ArgumentNullException(string paramName, string message) { } }
    public class ArgumentOutOfRangeException : ArgumentException { public ArgumentOutOfRangeException() { } public ArgumentOutOfRangeException(string paramName) { } public ArgumentOutOfRangeException(string paramName, string message) { } }
    public class InvalidOperationException : SystemException { public InvalidOperationException() { } public InvalidOperationException(string message) { } public InvalidOperationException(string message, Exception innerException) { } }
    public class NotSupportedException : SystemException { public NotSupportedException() { } public NotSupportedException(string message) { } public NotSupportedException(string message, Exception innerException) { } }
    public class NotImplementedException : SystemException { public NotImplementedException() { } public NotImplementedException(string message) { } public NotImplementedException(string message, Exception innerException) { } }
    public class PlatformNotSupportedException : NotSupportedException { public PlatformNotSupportedException() { } public PlatformNotSupportedException(string message) { } }
    public class IndexOutOfRangeException : SystemException { public IndexOutOfRangeException() { } public IndexOutOfRangeException(string message) { } public IndexOutOfRangeException(string message, Exception innerException) { } }
    public class NullReferenceException : SystemException { public NullReferenceException() { } public NullReferenceException(string message) { } public NullReferenceException(string message, Exception innerException) { } }
    public class InvalidCastException : SystemException { public InvalidCastException() { } public InvalidCastException(string message) { } public InvalidCastException(string message, Exception innerException) { } }
    public class OutOfMemoryException : SystemException { public OutOfMemoryException() { } public OutOfMemoryException(string message) { } public OutOfMemoryException(string message, Exception innerException) { } }
    public class FormatException : SystemException { public FormatException() { } public FormatException(string message) { } public FormatException(string message, Exception innerException) { } }
    public class ArrayTypeMismatchException : SystemException { public ArrayTypeMismatchException() { } public ArrayTypeMismatchException(string message) { } }
    public class ObjectDisposedException : InvalidOperationException { public ObjectDisposedException() { } public ObjectDisposedException(string objectName) { } public ObjectDisposedException(string objectName, string message) { } }
    public class TimeoutException : SystemException { public TimeoutException() { } public TimeoutException(string message) { } public TimeoutException(string message, Exception innerException) { } }

    public abstract class Attribute { protected Attribute() { } }

    [Flags]
    public enum AttributeTargets
    {
        Assembly = 0x0001, Module = 0x0002, Class = 0x0004, Struct = 0x0008, Enum = 0x0010,
        Constructor = 0x0020, Method = 0x0040, Property = 0x0080, Field = 0x0100, Event = 0x0200,
        Interface = 0x0400, Parameter = 0x0800, Delegate = 0x1000, ReturnValue = 0x2000,
        GenericParameter = 0x4000, All = 0x7FFF,
    }

    [AttributeUsage(AttributeTargets.Class, Inherited = true)]
    public sealed class AttributeUsageAttribute : Attribute
    {
        public AttributeUsageAttribute(AttributeTargets validOn) { }
        public AttributeTargets ValidOn => throw null;
        public bool AllowMultiple { get => throw null; set { } }
        public bool Inherited { get => throw null; set { } }
    }

    [AttributeUsage(AttributeTargets.Enum, Inherited = false)] public class FlagsAttribute : Attribute { }
    [AttributeUsage(AttributeTargets.Parameter, Inherited = true)] public sealed class ParamArrayAttribute : Attribute { }
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Enum | AttributeTargets.Delegate, Inherited = false)] public sealed class SerializableAttribute : Attribute { }
    [AttributeUsage(AttributeTargets.Field, Inherited = false)] public sealed class NonSerializedAttribute : Attribute { }
    [AttributeUsage(AttributeTargets.All, Inherited = true)] public sealed class CLSCompliantAttribute : Attribute { public CLSCompliantAttribute(bool isCompliant) { } }

    [AttributeUsage(AttributeTargets.All, Inherited = false)]
    public sealed class ObsoleteAttribute : Attribute
    {
        public ObsoleteAttribute() { }
        public ObsoleteAttribute(string message) { }
        public ObsoleteAttribute(string message, bool error) { }
    }
}
