using Compendium.Econometrics.Numerics;
using MathNet.Numerics.LinearAlgebra;
using Xunit;

namespace Compendium.Tests.Spatial;

/// <summary>The dense inverse and eigenvalue kernels behind the spatial likelihood, against MathNet on random matrices.</summary>
public class DenseKernelTests
{
    private static double[] Random(int n, int seed, bool symmetric)
    {
        var rng = new SplitMix64((ulong)seed);
        var a = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a[i * n + j] = rng.NextNormal();
        if (symmetric) for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) a[j * n + i] = a[i * n + j];
        return a;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(120)]
    public void InverseTimesMatrixIsIdentity(int n)
    {
        var a = Random(n, n, false);
        var inv = DenseKernels.Inverse(a, n);
        var prod = Matrix<double>.Build.DenseOfRowMajor(n, n, a) * Matrix<double>.Build.DenseOfRowMajor(n, n, inv);
        Assert.True((prod - Matrix<double>.Build.DenseIdentity(n)).Enumerate().Max(Math.Abs) < 1e-9);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(9)]
    [InlineData(150)]
    public void SymmetricEigenvaluesMatchMathNet(int n)
    {
        var a = Random(n, 100 + n, true);
        var mine = DenseKernels.SymmetricEigenvalues(a, n);
        var theirs = Matrix<double>.Build.DenseOfRowMajor(n, n, a).Evd(Symmetricity.Symmetric).EigenValues.Select(c => c.Real).Order().ToArray();
        for (int i = 0; i < n; i++) Assert.Equal(theirs[i], mine[i], 1e-9);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(150)]
    public void GeneralEigenvaluesMatchMathNet(int n)
    {
        var a = Random(n, 200 + n, false);
        var (re, im) = DenseKernels.GeneralEigenvalues(a, n);
        var mine = re.Zip(im).OrderBy(z => z.First).ThenBy(z => z.Second).ToArray();
        var theirs = Matrix<double>.Build.DenseOfRowMajor(n, n, a).Evd(Symmetricity.Asymmetric).EigenValues
            .Select(c => (c.Real, c.Imaginary)).OrderBy(z => z.Real).ThenBy(z => z.Imaginary).ToArray();
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(theirs[i].Real, mine[i].First, 1e-8);
            Assert.Equal(theirs[i].Imaginary, mine[i].Second, 1e-8);
        }
    }
}
