namespace Qkd.Wire
{
    /// <summary>The MessagePack format bytes of the subset this codec speaks (msgpack spec, "formats").</summary>
    internal static class MsgPackCode
    {
        public const byte MaxPositiveFixInt = 0x7F;
        public const byte MinFixMap = 0x80;
        public const byte MaxFixMap = 0x8F;
        public const byte MinFixArray = 0x90;
        public const byte MaxFixArray = 0x9F;
        public const byte MinFixStr = 0xA0;
        public const byte MaxFixStr = 0xBF;
        public const byte Nil = 0xC0;
        public const byte False = 0xC2;
        public const byte True = 0xC3;
        public const byte Bin8 = 0xC4;
        public const byte Bin16 = 0xC5;
        public const byte Bin32 = 0xC6;
        public const byte UInt8 = 0xCC;
        public const byte UInt16 = 0xCD;
        public const byte UInt32 = 0xCE;
        public const byte UInt64 = 0xCF;
        public const byte Int8 = 0xD0;
        public const byte Int16 = 0xD1;
        public const byte Int32 = 0xD2;
        public const byte Int64 = 0xD3;
        public const byte Str8 = 0xD9;
        public const byte Str16 = 0xDA;
        public const byte Str32 = 0xDB;
        public const byte Array16 = 0xDC;
        public const byte Array32 = 0xDD;
        public const byte MinNegativeFixInt = 0xE0;

        public const int MaxFixArrayCount = 15;
        public const int MaxFixStrBytes = 31;
        public const long MinNegativeFixIntValue = -32;
    }
}
