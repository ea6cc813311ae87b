using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Hangfire;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Launches;
using LtiMicroCred.People;
using LtiMicroCred.Schools;
using LtiMicroCred.Web.Launching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.IntegrationTests.Directory;

/// <summary>The people, schools and import pages over real HTTP, as the LMS iframe would load them with a launch token.</summary>
public abstract partial class DirectoryPagesTests<THost>(THost host) : IAsyncLifetime where THost : ToolHost
{
    private const string People = "/app/district/people";
    private readonly DirectoryBrowser _browser = new(host);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _browser.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Admin_SeesEveryoneWithTheirSchoolsAndRoles()
    {
        var district = await TestDistrict.CreateAsync(host);
        var lt = await TokenAsync(district, district.Admin);

        var page = await OkAsync($"{People}?lt={lt}");

        Assert.Equal(1, H1().Count(page));
        Assert.Contains("<th scope=\"col\">Name</th>", page, StringComparison.Ordinal);
        Assert.Contains("North Elementary: Teacher", page, StringComparison.Ordinal);
        Assert.Contains("South Middle: Teacher", page, StringComparison.Ordinal);
        Assert.Contains("North Elementary: Principal", page, StringComparison.Ordinal);
        Assert.Contains("Dev Admin", page, StringComparison.Ordinal);
        Assert.Contains("4 people, page 1 of 1", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_BySchoolAndRole_NarrowTheList()
    {
        var district = await TestDistrict.CreateAsync(host);
        var lt = await TokenAsync(district, district.Admin);

        var south = await OkAsync($"{People}?lt={lt}&school={district.South.Id}&role=Teacher");
        var principals = await OkAsync($"{People}?lt={lt}&role=Principal");

        Assert.Contains("Ben Teacher", south, StringComparison.Ordinal);
        Assert.DoesNotContain("Ada Teacher", south, StringComparison.Ordinal);
        Assert.Contains("Carla Principal", principals, StringComparison.Ordinal);
        Assert.DoesNotContain("Ben Teacher", principals, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ShowsFiftyAPage()
    {
        var district = await TestDistrict.CreateAsync(host);
        await host.WithDbAsync(db =>
        {
            var now = DateTimeOffset.UtcNow;
            db.People.AddRange(Enumerable.Range(1, 47).Select(i => new Person
            {
                Id = Guid.NewGuid(), TenantId = district.TenantId, PlatformId = district.PlatformId, Subject = $"bulk-{Guid.NewGuid():N}",
                Name = $"Person {i:D2}", CreatedAt = now, LastLaunchAt = now,
            }));
            return db.SaveChangesAsync();
        });
        var lt = await TokenAsync(district, district.Admin);

        var first = await OkAsync($"{People}?lt={lt}");
        var second = await OkAsync($"{People}?lt={lt}&p=2");

        Assert.Contains("51 people, page 1 of 2", first, StringComparison.Ordinal);
        Assert.Equal(50, EditLink().Count(first));
        Assert.Contains("rel=\"next\"", first, StringComparison.Ordinal);
        Assert.Equal(1, EditLink().Count(second));
        Assert.Contains("rel=\"prev\"", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Teacher_IsRefusedEveryDirectoryPage()
    {
        var district = await TestDistrict.CreateAsync(host);
        var lt = await TokenAsync(district, district.Teacher);

        foreach (var path in new[] { People, $"{People}/schools", $"{People}/import", $"{People}/{district.SouthTeacher.Id}" })
        {
            var response = await _browser.GetAsync($"{path}?lt={lt}");
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, path + " answered " + response.StatusCode);
        }
    }

    [Fact]
    public async Task Principal_SeesTheirSchoolsPeople_AndNoOneElse()
    {
        var district = await TestDistrict.CreateAsync(host);
        var lt = await TokenAsync(district, district.Principal);

        var list = await OkAsync($"{People}?lt={lt}");
        var elsewhere = await _browser.GetAsync($"{People}/{district.SouthTeacher.Id}?lt={lt}");
        var schools = await _browser.GetAsync($"{People}/schools?lt={lt}");

        Assert.Contains("Ada Teacher", list, StringComparison.Ordinal);
        Assert.DoesNotContain("Ben Teacher", list, StringComparison.Ordinal);
        Assert.DoesNotContain("Dev Admin", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, schools.StatusCode);
    }

    [Fact]
    public async Task Post_WithoutTheAntiforgeryToken_IsRefused_AndChangesNothing()
    {
        var district = await TestDistrict.CreateAsync(host);
        var lt = await TokenAsync(district, district.Admin);

        var response = await _browser.PostAsync($"{People}/{district.Teacher.Id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["lt"] = lt, ["District"] = "DistrictAdmin",
        }), cookie: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ProductRoles.None, (await host.WithDbAsync(db => db.People.AsNoTracking().SingleAsync(p => p.Id == district.Teacher.Id))).AssignedRoles);
    }

    [Fact]
    public async Task Admin_EditsRolesThroughTheForm()
    {
        var district = await TestDistrict.CreateAsync(host);
        var lt = await TokenAsync(district, district.Admin);
        var url = $"{People}/{district.Teacher.Id}";
        var form = await _browser.OpenAsync($"{url}?lt={lt}");
        Assert.Contains("<legend>District-wide roles</legend>", form.Html, StringComparison.Ordinal);

        var response = await _browser.PostFormAsync(url, form,
        [
            new("lt", lt), new("District", "Coach"),
            new("SchoolShown", district.North.Id.ToString()), new("SchoolShown", district.South.Id.ToString()),
            new("SchoolRole", $"{district.North.Id}:Teacher"), new("SchoolRole", $"{district.North.Id}:PeerReviewer"),
            new("SchoolRole", $"{district.South.Id}:Coach"),
        ]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("saved=true", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var memberships = await host.WithDbAsync(db => db.SchoolMemberships.AsNoTracking().Where(m => m.PersonId == district.Teacher.Id).ToDictionaryAsync(m => m.SchoolId, m => m.Roles));
        Assert.Equal(ProductRoles.Teacher | ProductRoles.PeerReviewer, memberships[district.North.Id]);
        Assert.Equal(ProductRoles.Coach, memberships[district.South.Id]);
        Assert.Equal(ProductRoles.Coach, (await host.WithDbAsync(db => db.People.AsNoTracking().SingleAsync(p => p.Id == district.Teacher.Id))).AssignedRoles);
    }

    [Fact]
    public async Task Principal_GivesCoachThroughTheForm_ButCannotTouchThePrincipalBox()
    {
        var district = await TestDistrict.CreateAsync(host);
        var lt = await TokenAsync(district, district.Principal);
        var url = $"{People}/{district.Teacher.Id}";
        var form = await _browser.OpenAsync($"{url}?lt={lt}");
        Assert.Matches($"value=\"{district.North.Id}:Principal\"[^>]*disabled", form.Html);
        Assert.DoesNotContain("South Middle", form.Html, StringComparison.Ordinal);

        var response = await _browser.PostFormAsync(url, form,
        [
            new("lt", lt), new("SchoolShown", district.North.Id.ToString()),
            new("SchoolRole", $"{district.North.Id}:Teacher"), new("SchoolRole", $"{district.North.Id}:Coach"),
            new("SchoolRole", $"{district.North.Id}:Principal"),
        ]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var roles = await host.WithDbAsync(db => db.SchoolMemberships.AsNoTracking().SingleAsync(m => m.PersonId == district.Teacher.Id && m.SchoolId == district.North.Id));
        Assert.Equal(ProductRoles.Teacher | ProductRoles.Coach, roles.Roles);
    }

    [Fact]
    public async Task SchoolsPage_AddsASchool_AndShowsADuplicateNameNextToTheField()
    {
        var district = await TestDistrict.CreateAsync(host);
        var lt = await TokenAsync(district, district.Admin);
        var url = $"{People}/schools?handler=Create";

        var form = await _browser.OpenAsync($"{People}/schools?lt={lt}");
        var created = await _browser.PostFormAsync(url, form, [new("lt", lt), new("name", "West Academy"), new("code", "W1")]);
        var duplicate = await _browser.PostFormAsync(url, form, [new("lt", lt), new("name", "west academy"), new("code", "W2")]);
        var html = await duplicate.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Contains("Another school is already named", html, StringComparison.Ordinal);
        Assert.Contains("id=\"new-Name\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", html, StringComparison.Ordinal);
        Assert.Equal(1, await host.WithDbAsync(db => db.Schools.CountAsync(s => s.TenantId == district.TenantId && s.Code == "W1")));
    }

    [Fact]
    public async Task ImportPage_ListsEachBadLine_ThenImportsACorrectFile()
    {
        var district = await TestDistrict.CreateAsync(host);
        var lt = await TokenAsync(district, district.Admin);
        var form = await _browser.OpenAsync($"{People}/import?lt={lt}");

        var bad = await UploadAsync(form, lt, "lms_user_id,name,school_code,school_roles\nnew-1,New One,Q7,teacher\n,Nobody,N1,teacher\n");
        var badHtml = await bad.Content.ReadAsStringAsync();
        var good = await UploadAsync(form, lt, $"lms_user_id,name,school_code,school_roles\nnew-{Guid.NewGuid():N},New One,S1,teacher;coach\n");
        var goodHtml = await good.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("id=\"import-errors\"", badHtml, StringComparison.Ordinal);
        Assert.Matches("<th scope=\"row\">2</th><td>Unknown school code", badHtml);
        Assert.Matches("<th scope=\"row\">3</th><td>Missing id", badHtml);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Contains("1 person added", goodHtml, StringComparison.Ordinal);
        Assert.Equal(3, await host.WithDbAsync(db => db.SchoolMemberships.CountAsync(m => m.SchoolId == district.South.Id || (m.SchoolId == district.North.Id && m.Roles == ProductRoles.Principal))));
    }

    [Fact]
    public async Task ImportPage_RefusesAFileOverTheCap_WithASentence()
    {
        var district = await TestDistrict.CreateAsync(host);
        var lt = await TokenAsync(district, district.Admin);
        var form = await _browser.OpenAsync($"{People}/import?lt={lt}");

        var mark = host.Logs.Lines.Count;
        var overCap = await UploadAsync(form, lt, "lms_user_id\n" + new string('x', ImportDirectoryCsv.MaxBytes + 1));
        // Far over: refused from the request's length, before the body is read (the client waits for 100-continue).
        var farOver = await UploadAsync(form, lt, "lms_user_id\n" + new string('x', 3 * ImportDirectoryCsv.MaxBytes), expectContinue: true);

        Assert.Equal(HttpStatusCode.BadRequest, overCap.StatusCode);
        Assert.Contains("larger than 2 MB", await overCap.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, farOver.StatusCode);
        Assert.Contains("at most 2 MB", await farOver.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.Lines.Skip(mark), l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task SyncButton_QueuesTheRosterJobForTheCourse()
    {
        var district = await TestDistrict.CreateAsync(host);
        var courseId = Guid.NewGuid();
        await host.WithDbAsync(db =>
        {
            db.Courses.Add(new Course
            {
                Id = courseId, TenantId = district.TenantId, PlatformId = district.PlatformId, ContextId = "ctx-sync", Title = "Teachers' PD course",
                MembershipsUrl = "https://lms.example/api/lti/courses/1/names_and_roles", CreatedAt = DateTimeOffset.UtcNow,
            });
            return db.SaveChangesAsync();
        });
        var lt = await TokenAsync(district, district.Admin);
        var form = await _browser.OpenAsync($"{People}?lt={lt}");
        Assert.Contains("Teachers&#x27; PD course", form.Html, StringComparison.Ordinal);

        var response = await _browser.PostFormAsync($"{People}?handler=Sync", form, [new("lt", lt), new("courseId", courseId.ToString())]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var jobId = Regex.Match(response.Headers.Location!.OriginalString, "queued=([^&]+)").Groups[1].Value;
        using var connection = host.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = connection.GetJobData(Uri.UnescapeDataString(jobId)).Job;
        Assert.Equal(typeof(SyncRosterJob), job.Type);
        Assert.Equal(courseId, job.Args[0]);
    }

    [Fact]
    public async Task HomePage_LinksDistrictAdminsToTheDirectory()
    {
        var district = await TestDistrict.CreateAsync(host);
        var lt = await host.Services.GetRequiredService<LaunchTokenIssuer>().IssueAsync(
            new LaunchSession(district.TenantId, district.Admin.Id, district.Admin.Name, null, null, ProductRoles.DistrictAdmin), CancellationToken.None);

        var home = await OkAsync($"/app?lt={lt}");

        Assert.Contains($"href=\"/app/district/people?lt={Uri.EscapeDataString(lt)}\"", home, StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> UploadAsync(DirectoryBrowser.FormPage form, string lt, string csv, bool expectContinue = false)
    {
        var content = new MultipartFormDataContent
        {
            { new StringContent(lt), "lt" },
            { new StringContent(form.Token), "__csrf" },
        };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "Upload", "directory.csv");
        return await _browser.PostAsync($"{People}/import", content, form.Cookie, expectContinue);
    }

    private async Task<string> OkAsync(string url)
    {
        var response = await _browser.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} answered {response.StatusCode}: {html}");
        return html;
    }

    private Task<string> TokenAsync(TestDistrict district, Person person) => DirectoryBrowser.TokenAsync(host, district.TenantId, person);

    [GeneratedRegex("<h1[ >]")]
    private static partial Regex H1();

    [GeneratedRegex(">Edit roles<span")]
    private static partial Regex EditLink();
}

[Collection(DirectoryCollections.Sqlite)]
public sealed class DirectoryPagesTests_Sqlite(SqliteDirectoryHost host) : DirectoryPagesTests<SqliteDirectoryHost>(host);

[Collection(DirectoryCollections.PostgreSql)]
public sealed class DirectoryPagesTests_PostgreSql(PostgresDirectoryHost host) : DirectoryPagesTests<PostgresDirectoryHost>(host);
