using Microsoft.Playwright;

namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>
/// A real headless Chromium driven by Playwright: Debian's <c>chromium</c> package (or the browser that
/// <c>CHROMIUM_PATH</c> names), never a download.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    /// <summary>Where Debian's chromium package puts the browser.</summary>
    public const string DefaultPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; }

    /// <summary>Starts the browser; a missing one fails with how to install it.</summary>
    public static async Task<HeadlessChromium> StartAsync()
    {
        var path = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } configured ? configured : DefaultPath;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"No Chromium at {path}: install it with 'apt-get install chromium' (.ci/run does), or set CHROMIUM_PATH to a Chromium or Chrome executable.");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = path,
                Headless = true,

                // CI runs as root, where Chromium's sandbox cannot start.
                Args = ["--no-sandbox"],
            });
            return new HeadlessChromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}
