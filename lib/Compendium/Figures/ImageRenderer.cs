using System.Text.RegularExpressions;
using PuppeteerSharp;

namespace Compendium.Figures;

/// <summary>
/// Static SVG and PNG images of Plotly figures, drawn by plotly.js in a headless Chromium
/// (Debian's <c>chromium</c> package; no browser is downloaded). One browser and one page serve a
/// whole process, so after the first image (≈ 1–3 s to start Chromium) each image takes a fraction
/// of a second. Where no Chromium is found, <see cref="IsAvailable"/> is false and callers skip images.
/// </summary>
/// <remarks>
/// <para>No browser outlives the process that started it, however that process ends. Chromium is
/// driven over a pipe (<c>--remote-debugging-pipe</c>, file descriptors 3 and 4) instead of a
/// WebSocket: the pipe is its lifeline, and when the parent dies (also by SIGKILL, when no handler
/// runs) the kernel closes the parent's ends, Chromium reads end-of-file and exits with all its child
/// processes. <see cref="Shutdown"/> (also run at normal exit and on SIGTERM) kills it at once. The
/// profile folder <c>$TMPDIR/compendium-chromium-PID</c> is removed on shutdown, and folders left
/// by processes that no longer exist are removed at the next start.</para>
/// The browser is looked up in <c>$COMPENDIUM_CHROMIUM</c>, then /usr/bin/chromium,
/// /usr/bin/chromium-browser, /usr/bin/google-chrome. <c>COMPENDIUM_CHROMIUM=none</c> turns images off.
/// SVG bytes are made stable: traces without a uid get one from their position (plotly would draw
/// a random one into class names), and plotly's random clip-path and defs ids are renumbered in
/// order of appearance.
/// </remarks>
public static partial class ImageRenderer
{
    private static readonly SemaphoreSlim _gate = new(1, 1);
    private static IBrowser? _browser;
    private static int _generation;
    private static IPage? _page;

    // Kill the browser at exit at once (synchronously; async work is unreliable while the process
    // exits); the pipe would end it too, a moment later.
    static ImageRenderer() => AppDomain.CurrentDomain.ProcessExit += (_, _) => Shutdown();

    /// <summary>Whether a browser is running (started by an image, stopped by <see cref="Shutdown"/> or at exit).</summary>
    public static bool IsRunning => _browser is { IsClosed: false };

    /// <summary>Stop the browser (if one was started) and cancel pending warm-ups. The next image starts a new one.</summary>
    public static void Shutdown()
    {
        Interlocked.Increment(ref _generation);
        // Wait for a launch or render in progress (bounded: this also runs at process exit).
        var entered = _gate.Wait(TimeSpan.FromSeconds(20));
        try { Kill(); }
        finally { if (entered) _gate.Release(); }
    }

    private static void Kill()
    {
        var browser = Interlocked.Exchange(ref _browser, null);
        _page = null;
        if (browser is null) return;
        try { browser.Process?.Kill(entireProcessTree: true); }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { /* already gone */ }
        try { browser.Dispose(); }
        catch (Exception) { /* the process is gone; nothing left to release */ }
        ProcessFolders.TryDelete(ProcessFolders.Own(Path.GetTempPath(), ProfilePrefix));
    }

    /// <summary>Chromium profile folders: <c>$TMPDIR/compendium-chromium-PID</c>.</summary>
    private const string ProfilePrefix = "compendium-chromium-";

    /// <summary>The Chromium executable in use, or null when none is installed.</summary>
    public static string? BrowserPath { get; } = FindBrowser();

    /// <summary>True when a Chromium executable was found, so SVG/PNG images can be made.</summary>
    public static bool IsAvailable => BrowserPath is not null;

    private static string? FindBrowser()
    {
        var env = Environment.GetEnvironmentVariable("COMPENDIUM_CHROMIUM");
        if (env is "none" or "off") return null;
        string[] candidates = env is { Length: > 0 } ? [env] : ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>Render a figure (Plotly JSON) as SVG text and PNG bytes (scale 2 for print).</summary>
    public static async Task<(string Svg, byte[] Png)> RenderAsync(string figureJson, int width = FigureExport.DefaultWidth, int height = FigureExport.DefaultHeight)
    {
        if (BrowserPath is null) throw new InvalidOperationException("no Chromium found; install Debian's chromium package or set COMPENDIUM_CHROMIUM");
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var page = await PageAsync().ConfigureAwait(false);
            const string js = "async (fig, w, h, fmt, scale) => { const gd = document.createElement('div'); document.body.appendChild(gd);" +
                              " fig.data.forEach((t, i) => { if (t.uid === undefined) t.uid = 'trace' + i; });" +
                              " try { await Plotly.newPlot(gd, fig.data, fig.layout, {staticPlot: true});" +
                              " return await Plotly.toImage(gd, {format: fmt, width: w, height: h, scale: scale}); }" +
                              " finally { Plotly.purge(gd); gd.remove(); } }";
            var fig = System.Text.Json.JsonDocument.Parse(figureJson).RootElement;
            var svgUrl = await page.EvaluateFunctionAsync<string>(js, fig, width, height, "svg", 1).ConfigureAwait(false);
            var pngUrl = await page.EvaluateFunctionAsync<string>(js, fig, width, height, "png", 2).ConfigureAwait(false);
            var svg = NormaliseSvg(Uri.UnescapeDataString(svgUrl[(svgUrl.IndexOf(',') + 1)..]));
            var png = Convert.FromBase64String(pngUrl[(pngUrl.IndexOf(',') + 1)..]);
            return (svg, png);
        }
        finally { _gate.Release(); }
    }

    /// <summary>
    /// Start Chromium in the background (no-op without one), so its start-up overlaps with running
    /// the first notebook's cells. Failures surface at the first <see cref="RenderAsync"/>.
    /// </summary>
    public static void WarmUp()
    {
        if (BrowserPath is null) return;
        var generation = Volatile.Read(ref _generation);
        _ = Task.Run(async () =>
        {
            await _gate.WaitAsync().ConfigureAwait(false);
            // A Shutdown since the call cancels the warm-up (else it would start a browser nobody stops).
            try { if (Volatile.Read(ref _generation) == generation) await PageAsync().ConfigureAwait(false); }
            catch (Exception) { /* reported by the first real render */ }
            finally { _gate.Release(); }
        });
    }

    private static async Task<IPage> PageAsync()
    {
        if (_page is { IsClosed: false }) return _page;
        if (_browser is null) ProcessFolders.DeleteOrphans(Path.GetTempPath(), ProfilePrefix);
        _browser ??= await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = BrowserPath,
            Headless = true,
            // DevTools over a pipe: Chromium exits when the pipe closes, i.e. when this process dies.
            Pipe = true,
            UserDataDir = ProcessFolders.Own(Path.GetTempPath(), ProfilePrefix),
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--font-render-hinting=none"],
        }).ConfigureAwait(false);
        _page = await _browser.NewPageAsync().ConfigureAwait(false);
        await _page.SetContentAsync("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body></body></html>").ConfigureAwait(false);
        await _page.AddScriptTagAsync(new AddTagOptions { Content = PlotlyAssets.PlotlyJs }).ConfigureAwait(false);
        await _page.AddScriptTagAsync(new AddTagOptions { Content = PlotlyAssets.GeoAssetsJs }).ConfigureAwait(false);
        return _page;
    }

    /// <summary>Renumber the random ids plotly writes into SVG (clip…, defs-…, topbar… etc.) in order of first appearance.</summary>
    public static string NormaliseSvg(string svg)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in IdRegex().Matches(svg))
        {
            var id = m.Groups[1].Value;
            if (!map.ContainsKey(id)) map[id] = "id" + map.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (map.Count == 0) return svg;
        var pattern = new Regex(string.Join("|", map.Keys.OrderByDescending(k => k.Length).Select(Regex.Escape)));
        return pattern.Replace(svg, m => map[m.Value]);
    }

    [GeneratedRegex("\\bid=\"([^\"]+)\"")]
    private static partial Regex IdRegex();
}
