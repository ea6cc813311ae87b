using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LtiMicroCred.BrowserTests.Infrastructure;

/// <summary>
/// The real host on one real loopback port, reached under two names so that the sandbox LMS and the tool are on
/// different sites: the LMS at http://localhost:P, the tool at http://127.0.0.1:P. The browser then treats the
/// tool's iframe as third-party, as it would a tool framed by a district's LMS.
/// </summary>
public sealed class CrossSiteToolHost : WebApplicationFactory<Program>
{
    private readonly string _databasePath = Path.Combine(Path.GetTempPath(), $"ltimc-browser-{Guid.NewGuid():N}.db");

    private CrossSiteToolHost(int port)
    {
        Port = port;
    }

    public int Port { get; }

    /// <summary>The sandbox LMS's origin: the site of the top-level course page.</summary>
    public string LmsOrigin => $"http://localhost:{Port}";

    /// <summary>The tool's origin: the site of the iframe's content.</summary>
    public string ToolOrigin => $"http://127.0.0.1:{Port}";

    public string CourseUrl(string personId, string courseId = "course-mc-1") =>
        $"{LmsOrigin}/sandbox/course/{Uri.EscapeDataString(courseId)}?person={Uri.EscapeDataString(personId)}";

    /// <summary>Starts the host on a free port; tries again on another one if the port was taken in the meantime.</summary>
    public static async Task<CrossSiteToolHost> StartAsync()
    {
        const int Attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var host = new CrossSiteToolHost(FreeLoopbackPort());
            try
            {
                host.UseKestrel(options => options.Listen(IPAddress.Loopback, host.Port));
                host.StartServer();
                return host;
            }
            catch (IOException) when (attempt < Attempts)
            {
                // Another process took the port between our probe and Kestrel's bind.
                await host.DisposeAsync();
            }
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var file in new[] { _databasePath, _databasePath + "-wal", _databasePath + "-shm" })
        {
            File.Delete(file);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:ConnectionString", $"Data Source={_databasePath};Pooling=False");
        builder.UseSetting("Database:MigrateAtStart", "true");
        builder.UseSetting("Jobs:WorkerCount", "1");
        builder.UseSetting("Lti:AllowInsecurePlatformUrls", "true");
        builder.UseSetting("Sandbox:Enabled", "true");
        builder.UseSetting("Sandbox:BaseUrl", LmsOrigin);
        builder.UseSetting("Sandbox:ToolLoginInitiationPath", ToolOrigin + "/lti/login");
        builder.UseSetting("Sandbox:ToolLaunchPath", ToolOrigin + "/lti/launch");
    }

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
