using Compendium.Econometrics.Numerics;
using Xunit;

namespace Compendium.Tests.Numerics;

/// <summary>Quantiles and kernel densities against R (quantile type 7, bw.nrd0, the Gaussian kernel sum).</summary>
public class KernelDensityTests
{
    private static readonly double[] X = [1, 2, 3, 4, 10, 2.5, 7];

    [Fact]
    public void QuantilesAreRType7()
    {
        // R: quantile(c(1,2,3,4,10,2.5,7), c(0.025, 0.5, 0.9))
        Assert.Equal(1.1499999999999999, Quantiles.Type7(X, 0.025), 1e-14);
        Assert.Equal(3, Quantiles.Type7(X, 0.5), 1e-14);
        Assert.Equal(8.2000000000000011, Quantiles.Type7(X, 0.9), 1e-14);
        Assert.Equal(3, Quantiles.Type7([double.NaN, 3], 0.7));
        Assert.True(double.IsNaN(Quantiles.Type7([], 0.5)));
    }

    [Fact]
    public void BandwidthIsBwNrd0()
    {
        Assert.Equal(1.4791133744003038, KernelDensity.SilvermanBandwidth(X), 1e-14);   // R: bw.nrd0(x)
    }

    [Fact]
    public void DensityIsTheGaussianKernelSum()
    {
        // R: sapply(t, function(t) mean(dnorm((t - x) / 1)) / 1)
        var (x, f) = KernelDensity.Estimate(X, bandwidth: 1, points: 5, from: 0, to: 10);
        Assert.Equal([0, 2.5, 5, 7.5, 10], x);
        double[] r = [0.04543652431039108, 0.19458915842902366, 0.05314973191375795, 0.052926269768298791, 0.057624876414090968];
        for (int k = 0; k < 5; k++) Assert.Equal(r[k], f[k], 1e-14);
        // Integer weights repeat observations.
        var (_, fw) = KernelDensity.Estimate([1.0, 2.0], [2.0, 1.0], 1, 3, 0, 2);
        var (_, fr) = KernelDensity.Estimate([1.0, 1.0, 2.0], null, 1, 3, 0, 2);
        for (int k = 0; k < 3; k++) Assert.Equal(fr[k], fw[k], 1e-15);
    }
}
