using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using LtiMicroCred.Catalog;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.IntegrationTests.Sandbox;
using LtiMicroCred.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Catalog;

/// <summary>
/// The catalog pages over real HTTP, launched from the sandbox LMS, whose district starts with the sample catalog:
/// a teacher browses it and opens a credential; the district administrator imports and exports it.
/// </summary>
public abstract partial class CatalogPagesTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task SandboxTeacher_SeesTheSampleCatalog_GroupedWithIncentivesAndSkills()
    {
        using var http = host.CreateRawClient();
        var token = await LaunchAsync(http, "teacher-ada");

        var response = await http.GetAsync("/app/catalog?lt=" + token);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, H1().Count(page));
        Assert.Contains("Performance Assessment for Learning", page, StringComparison.Ordinal);
        Assert.Contains("Teacher-Leader Pathway", page, StringComparison.Ordinal);
        Assert.Contains("Basic Performance Assessment Design", page, StringComparison.Ordinal);
        Assert.Contains("4 in-service hours", page, StringComparison.Ordinal);
        Assert.Contains("6 professional development points", page, StringComparison.Ordinal);
        Assert.Contains("1 CPD unit for every 2 credentials earned", page, StringComparison.Ordinal);
        Assert.Contains("A committee of 3 administrators", page, StringComparison.Ordinal);
        Assert.Contains("Learning communities", page, StringComparison.Ordinal);
        // Offered at Juniper Middle School only, where Ada does not teach.
        Assert.DoesNotContain("Assessing How Instructional Time Is Used", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/app/catalog/pa-basic-design?lt={token}\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SandboxTeacher_OpensACredential_SeesTheSixComponentsRubricTableAndStartForm()
    {
        using var http = host.CreateRawClient();
        var token = await LaunchAsync(http, "teacher-ada");

        var response = await http.GetAsync("/app/catalog/pa-leading-community?lt=" + token);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, H1().Count(page));
        var headings = new[] { "1. Competency", "2. Key method", "3. Method components", "4. Research and resources", "5. Submission criteria", "6. Scoring rubric" };
        var positions = headings.Select(h => page.IndexOf(h, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
        Assert.Contains("10 to 15 minutes", page, StringComparison.Ordinal);
        Assert.Contains("<caption id=\"rubric-caption\">", page, StringComparison.Ordinal);
        Assert.Equal(5, ColumnHeader().Count(page)); // the criterion column and four levels
        Assert.Equal(3, RowHeader().Count(page));
        Assert.Contains("at least 7 of 9 points", page, StringComparison.Ordinal);
        Assert.Contains("target=\"_blank\" rel=\"noopener noreferrer\"", page, StringComparison.Ordinal);

        var form = StartForm().Match(page);
        Assert.True(form.Success, page);
        var credentialId = await host.WithDbAsync(db => db.Credentials.Where(c => c.Key == "pa-leading-community").Select(c => c.Id).SingleAsync());
        Assert.Contains($"name=\"credentialId\" value=\"{credentialId}\"", form.Value, StringComparison.Ordinal);
        Assert.Contains($"name=\"lt\" value=\"{WebUtility.UrlDecode(token)}\"", form.Value, StringComparison.Ordinal);
        Assert.Contains("name=\"__csrf\"", form.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SandboxTeacher_StartForm_StartsAnAttemptOnTheCurrentVersion()
    {
        using var http = host.CreateRawClient();
        var token = await LaunchAsync(http, "teacher-ben");
        var response = await http.GetAsync("/app/catalog/learning-communities?lt=" + token);
        var cookie = AntiforgeryCookie(response);
        var form = StartForm().Match(await response.Content.ReadAsStringAsync()).Value;
        var fields = HiddenField().Matches(form).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));

        using var post = new HttpRequestMessage(HttpMethod.Post, "/app/attempts/start") { Content = new FormUrlEncodedContent(fields) };
        if (cookie.Length > 0)
        {
            post.Headers.Add("Cookie", cookie);
        }
        var started = await http.SendAsync(post);

        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        Assert.StartsWith("/app/attempts/", started.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var (attemptVersion, currentVersion) = await host.WithDbAsync(async db =>
        {
            var credential = await db.Credentials.SingleAsync(c => c.Key == "learning-communities");
            var attempt = await db.Attempts.Where(a => a.CredentialId == credential.Id).OrderByDescending(a => a.CreatedAt).FirstAsync();
            return (attempt.CredentialVersionId, credential.CurrentVersionId);
        });
        Assert.Equal(currentVersion, attemptVersion);
    }

    [Fact]
    public async Task SandboxTeacher_CannotOpenACredentialNotOfferedToThem_OrTheDistrictPage()
    {
        using var http = host.CreateRawClient();
        var token = await LaunchAsync(http, "teacher-ada");

        var hidden = await http.GetAsync("/app/catalog/time-use-analysis?lt=" + token);
        var missing = await http.GetAsync("/app/catalog/no-such-credential?lt=" + token);
        var district = await http.GetAsync("/app/district/catalog?lt=" + token);
        var export = await http.GetAsync("/app/district/catalog?handler=export&lt=" + token);

        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(await missing.Content.ReadAsStringAsync(), await hidden.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, district.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, export.StatusCode);
    }

    [Fact]
    public async Task Home_LinksToTheCatalog_AndTheDistrictPageForAdminsOnly()
    {
        using var http = host.CreateRawClient();
        var teacherHome = await http.GetStringAsync("/app?lt=" + await LaunchAsync(http, "teacher-ada"));
        var adminHome = await http.GetStringAsync("/app?lt=" + await LaunchAsync(http, "admin-dev"));

        Assert.Contains("href=\"/app/catalog?lt=", teacherHome, StringComparison.Ordinal);
        Assert.DoesNotContain("/app/district/catalog", teacherHome, StringComparison.Ordinal);
        Assert.Contains("href=\"/app/district/catalog?lt=", adminHome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SandboxAdmin_SeesEveryCredentialWithVersionAndOfferings()
    {
        using var http = host.CreateRawClient();
        var token = await LaunchAsync(http, "admin-dev");

        var response = await http.GetAsync("/app/district/catalog?lt=" + token);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, H1().Count(page));
        Assert.Contains("Assessing How Instructional Time Is Used", page, StringComparison.Ordinal);
        Assert.Contains("<code>data-literacy-plc</code>", page, StringComparison.Ordinal);
        Assert.Contains("<label for=\"catalog-file\">", page, StringComparison.Ordinal);
        Assert.Contains("enctype=\"multipart/form-data\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SandboxAdmin_ImportsAFile_WithTheAntiforgeryToken_AndNotWithout()
    {
        using var http = host.CreateRawClient();
        var token = await LaunchAsync(http, "admin-dev");
        var (page, cookie) = await OpenDistrictPageAsync(http, token);
        var key = "imported-" + Guid.NewGuid().ToString("N")[..8];
        var file = CatalogJson.Write(new CatalogDocument
        {
            Format = CatalogDocument.CurrentFormat,
            Credentials = [CatalogFiles.Credential(key, "Imported over HTTP") with { Skills = [] }],
            Offerings = [new CatalogOffering { Credential = key, Incentive = new CatalogIncentive { Kind = IncentiveKind.Stipend, Amount = 200 } }],
        });

        var forged = await PostImportAsync(http, token, file, csrf: null, cookie);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.False(await host.WithDbAsync(db => db.Credentials.AnyAsync(c => c.Key == key)));

        var accepted = await PostImportAsync(http, token, file, Antiforgery(page), cookie);
        var result = await accepted.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Contains("role=\"status\"", result, StringComparison.Ordinal);
        Assert.Contains("Credentials: 1 created, 0 updated, 0 unchanged", result, StringComparison.Ordinal);
        Assert.Contains($"<code>{key}</code>", result, StringComparison.Ordinal);
        Assert.True(await host.WithDbAsync(db => db.Credentials.AnyAsync(c => c.Key == key)));
    }

    [Fact]
    public async Task SandboxAdmin_ImportOfABrokenFile_ListsEveryProblemByPath_AndImportsNothing()
    {
        using var http = host.CreateRawClient();
        var token = await LaunchAsync(http, "admin-dev");
        var (page, cookie) = await OpenDistrictPageAsync(http, token);
        var key = "broken-" + Guid.NewGuid().ToString("N")[..8];
        var file = CatalogJson.Write(new CatalogDocument
        {
            Format = CatalogDocument.CurrentFormat,
            Credentials = [CatalogFiles.Credential(key, "Broken") with { Skills = [new CatalogAlignment { Framework = "danielson", Code = "99" }] }],
            Offerings = [new CatalogOffering { Credential = key, School = "atlantis", Incentive = new CatalogIncentive { Kind = IncentiveKind.Stipend, Amount = 200 } }],
        });

        var refused = await PostImportAsync(http, token, file, Antiforgery(page), cookie);
        var result = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("<div id=\"import-problems\" class=\"problem\" role=\"alert\"", result, StringComparison.Ordinal);
        Assert.Contains("<code>$.credentials[0].skills[0].code</code>", result, StringComparison.Ordinal);
        Assert.Contains("<code>$.offerings[0].school</code>", result, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"catalog-file-hint import-problems\"", result, StringComparison.Ordinal);
        Assert.False(await host.WithDbAsync(db => db.Credentials.AnyAsync(c => c.Key == key)));
    }

    [Fact]
    public async Task SandboxAdmin_ImportOfAFileJustOverTwoMegabytes_IsRefusedWithTheReason()
    {
        using var http = host.CreateRawClient();
        var token = await LaunchAsync(http, "admin-dev");
        var (page, cookie) = await OpenDistrictPageAsync(http, token);
        var (key, file) = OversizedFile(100 * 1024);

        var refused = await PostImportAsync(http, token, file, Antiforgery(page), cookie);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("The file is larger than 2 MB", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await host.WithDbAsync(db => db.Credentials.AnyAsync(c => c.Key == key)));
    }

    [Fact]
    public async Task SandboxAdmin_ImportOfAFileFarOverTwoMegabytes_IsCutOffBeforeThePageRuns()
    {
        using var http = host.CreateRawClient();
        var token = await LaunchAsync(http, "admin-dev");
        var (page, cookie) = await OpenDistrictPageAsync(http, token);
        var (key, file) = OversizedFile(3 * 1024 * 1024);

        HttpStatusCode? status;
        try
        {
            status = (await PostImportAsync(http, token, file, Antiforgery(page), cookie)).StatusCode;
        }
        catch (HttpRequestException)
        {
            // The server refused the body and closed the connection while the client was still sending.
            status = null;
        }

        // Kestrel's 413, or the 400 of the antiforgery check that could not read the form, whichever reaches the client first.
        Assert.True(status is null or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadRequest, status.ToString());
        Assert.False(await host.WithDbAsync(db => db.Credentials.AnyAsync(c => c.Key == key)));
    }

    /// <summary>A valid catalog file padded with white space to the cap plus <paramref name="over"/> bytes.</summary>
    private static (string Key, byte[] File) OversizedFile(int over)
    {
        var key = "too-big-" + Guid.NewGuid().ToString("N")[..8];
        var valid = Encoding.UTF8.GetString(CatalogJson.Write(new CatalogDocument
        {
            Format = CatalogDocument.CurrentFormat,
            Credentials = [CatalogFiles.Credential(key, "Too big") with { Skills = [] }],
        }));
        return (key, Encoding.UTF8.GetBytes(valid + new string(' ', CatalogJson.MaxBytes + over - valid.Length)));
    }

    [Fact]
    public async Task SandboxAdmin_ExportsTheCatalogAsAJsonAttachment_ThatImportsBackUnchanged()
    {
        using var http = host.CreateRawClient();
        var token = await LaunchAsync(http, "admin-dev");

        var response = await http.GetAsync("/app/district/catalog?handler=export&lt=" + token);
        var json = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.EndsWith(".json", response.Content.Headers.ContentDisposition.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName, StringComparison.Ordinal);
        var document = CatalogJson.Read(json);
        Assert.Contains(document.Credentials, c => c.Key == "pa-basic-design");
        var tenantId = await host.WithDbAsync(db => db.Tenants.Where(t => t.Name == SandboxBootstrap.TenantName).Select(t => t.Id).SingleAsync());
        var summary = await host.WithServiceAsync<ImportCatalog, CatalogImportSummary>(import => import.ImportAsync(tenantId, document, CancellationToken.None));
        Assert.False(summary.ChangedAnything);
    }

    /// <summary>Launches a sandbox person into the microcredentials course; returns their launch token (URL-escaped, as in links).</summary>
    private static async Task<string> LaunchAsync(HttpClient http, string person)
    {
        var launch = await SandboxLaunchTests<THost>.LaunchAsync(http, person, "course-mc-1");
        var location = launch.Headers.Location!.OriginalString;
        Assert.StartsWith("/app?lt=", location, StringComparison.Ordinal);
        return location["/app?lt=".Length..];
    }

    private static async Task<(string Page, string Cookie)> OpenDistrictPageAsync(HttpClient http, string token)
    {
        var response = await http.GetAsync("/app/district/catalog?lt=" + token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = AntiforgeryCookie(response);
        return (await response.Content.ReadAsStringAsync(), cookie);
    }

    /// <summary>The antiforgery cookie if the page set one (pages opened with a launch token set none).</summary>
    private static string AntiforgeryCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Select(c => c.Split(';')[0]).FirstOrDefault(c => c.StartsWith("ltimc_csrf", StringComparison.Ordinal)) ?? string.Empty
            : string.Empty;

    private static string Antiforgery(string page) => WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value);

    private static async Task<HttpResponseMessage> PostImportAsync(HttpClient http, string token, byte[] file, string? csrf, string cookie)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(WebUtility.UrlDecode(token)), "lt" },
        };
        if (csrf is not null)
        {
            form.Add(new StringContent(csrf), "__csrf");
        }

        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        form.Add(content, "file", "catalog.json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/app/district/catalog?handler=import&lt=" + token) { Content = form };
        if (cookie.Length > 0)
        {
            request.Headers.Add("Cookie", cookie);
        }
        return await http.SendAsync(request);
    }

    [GeneratedRegex("<h1[ >]")]
    private static partial Regex H1();

    [GeneratedRegex("<th scope=\"col\">")]
    private static partial Regex ColumnHeader();

    [GeneratedRegex("<th scope=\"row\">")]
    private static partial Regex RowHeader();

    [GeneratedRegex("<form method=\"post\" action=\"/app/attempts/start\".*?</form>", RegexOptions.Singleline)]
    private static partial Regex StartForm();

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("<input (?:type=\"hidden\" )?name=\"([^\"]+)\" (?:type=\"hidden\" )?value=\"([^\"]*)\"")]
    private static partial Regex HiddenField();
}

public sealed class CatalogPagesTests_Sqlite(SqliteToolHost host) : CatalogPagesTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class CatalogPagesTests_PostgreSql(PostgresToolHost host) : CatalogPagesTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
