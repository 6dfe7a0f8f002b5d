using System.Numerics;

namespace Compendium.Econometrics.Numerics;

/// <summary>SIMD kernels on spans of doubles, shared by the demeaning, the solvers and the variance estimators.</summary>
internal static class Vectors
{
    /// <summary>x·y (SIMD).</summary>
    internal static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double s = 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<double>.Count * 2)
        {
            var acc = Vector<double>.Zero;
            int w = Vector<double>.Count;
            for (; i <= x.Length - w; i += w) acc += new Vector<double>(x.Slice(i, w)) * new Vector<double>(y.Slice(i, w));
            s = Vector.Dot(acc, Vector<double>.One);
        }
        for (; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    /// <summary>y += a·x (SIMD).</summary>
    internal static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<double>.Count;
            var va = new Vector<double>(a);
            for (; i <= x.Length - w; i += w)
                (new Vector<double>(y.Slice(i, w)) + va * new Vector<double>(x.Slice(i, w))).CopyTo(y.Slice(i, w));
        }
        for (; i < x.Length; i++) y[i] += a * x[i];
    }
}
