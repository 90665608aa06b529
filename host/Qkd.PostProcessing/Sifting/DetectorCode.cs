namespace Qkd.PostProcessing.Sifting
{
    /// <summary>Bob's detector code per record, as on the wire: which gated APDs clicked.</summary>
    public static class DetectorCode
    {
        public const byte None = 0;
        public const byte Apd0 = 1;
        public const byte Apd1 = 2;
        public const byte Both = 3;
    }
}
