namespace Qkd.Simulation.Physics;

/// <summary>
/// log(1+x) and exp(x)-1 accurate for tiny x (Kahan's tricks). .NET's double.LogP1/ExpM1 compute
/// Log(1+x) and Exp(x)-1 directly, which lose all digits for detection probabilities near 1e-7.
/// </summary>
internal static class PreciseMath
{
    public static double LogOnePlus(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    public static double ExpMinusOne(double x)
    {
        if (Math.Abs(x) > 0.5) return Math.Exp(x) - 1;
        double u = Math.Exp(x);
        return u == 1 ? x : (u - 1) * x / Math.Log(u);
    }
}
