using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.People;
using LtiMicroCred.Schools;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LtiMicroCred.IntegrationTests.Directory;

/// <summary>
/// Real launches from the WireMock platform whose custom parameters name a school: the alias places the person in the
/// school with the school part of their launch roles, never changes what an administrator gave, and a repeat launch
/// writes nothing.
/// </summary>
public abstract partial class DirectoryLaunchTests<THost>(THost host) : IAsyncLifetime where THost : ToolHost
{
    private const string Lti = "https://purl.imsglobal.org/spec/lti/claim/";
    private const string Learner = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";
    private const string Instructor = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";
    private readonly LaunchClient _client = new(host);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _client.Dispose();
        host.Platform.AssertNoUnexpectedRequests();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Launch_WithAccountIdOfAnAlias_MakesTheLearnerATeacherOfThatSchool()
    {
        var (schoolId, accountId) = await SchoolWithAliasAsync("canvas_account_id");
        var subject = NewSubject();

        await LaunchAsync(subject, Learner, ("canvas_account_id", accountId));

        var membership = Assert.Single(await MembershipsAsync(subject));
        Assert.Equal(schoolId, membership.SchoolId);
        Assert.Equal(ProductRoles.Teacher, membership.Roles);
        Assert.Equal(MembershipSource.Launch, membership.Source);
    }

    [Fact]
    public async Task Launch_WithSchoolNameInOtherCase_MatchesTheAlias()
    {
        var (schoolId, name) = await SchoolWithAliasAsync("school_name");
        var subject = NewSubject();

        await LaunchAsync(subject, Instructor, ("school_name", "  " + name.ToLowerInvariant() + " "));

        var membership = Assert.Single(await MembershipsAsync(subject));
        Assert.Equal(schoolId, membership.SchoolId);
        Assert.Equal(ProductRoles.Coach, membership.Roles);
    }

    [Fact]
    public async Task Launch_WithUnknownValue_OrOnlyDistrictRoles_PlacesNoOne()
    {
        var (_, accountId) = await SchoolWithAliasAsync("canvas_account_id");
        var stranger = NewSubject();
        var admin = NewSubject();

        await LaunchAsync(stranger, Learner, ("canvas_account_id", accountId + "-other"));
        await LaunchAsync(admin, "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator", ("canvas_account_id", accountId));

        Assert.Empty(await MembershipsAsync(stranger));
        Assert.Empty(await MembershipsAsync(admin));
    }

    [Fact]
    public async Task Launch_NeverChangesAMembershipAnAdministratorGave()
    {
        var (schoolId, accountId) = await SchoolWithAliasAsync("canvas_account_id");
        var subject = NewSubject();
        await LaunchAsync(subject, Learner, ("canvas_account_id", "no-school"));
        var given = DateTimeOffset.UtcNow.AddDays(-1);
        await host.WithDbAsync(async db =>
        {
            var person = await db.People.SingleAsync(p => p.Subject == subject);
            db.SchoolMemberships.Add(new SchoolMembership
            {
                PersonId = person.Id, SchoolId = schoolId, Roles = ProductRoles.PeerReviewer, Source = MembershipSource.Administrator, UpdatedAt = given,
            });
            return await db.SaveChangesAsync();
        });

        await LaunchAsync(subject, Instructor, ("canvas_account_id", accountId));
        await LaunchAsync(subject, "http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator", ("canvas_account_id", accountId));

        var membership = Assert.Single(await MembershipsAsync(subject));
        Assert.Equal(ProductRoles.PeerReviewer, membership.Roles);
        Assert.Equal(MembershipSource.Administrator, membership.Source);
        Assert.Equal(given.ToUnixTimeMilliseconds(), membership.UpdatedAt.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Launch_FromAnotherCourseOfTheSchool_AddsItsRoles_AndALaterLearnerLaunchRemovesNone()
    {
        var (_, accountId) = await SchoolWithAliasAsync("canvas_account_id");
        var subject = NewSubject();

        await LaunchAsync(subject, Learner, ("canvas_account_id", accountId));
        await LaunchAsync(subject, Instructor, ("canvas_account_id", accountId), contextId: "ctx-coaching");
        await LaunchAsync(subject, Learner, ("canvas_account_id", accountId));

        Assert.Equal(ProductRoles.Teacher | ProductRoles.Coach, Assert.Single(await MembershipsAsync(subject)).Roles);
    }

    [Fact]
    public async Task RepeatLaunch_WithASchool_WritesNothing_AndReadsEachRowOnce()
    {
        var (_, accountId) = await SchoolWithAliasAsync("canvas_account_id");
        var subject = NewSubject();

        var firstMark = host.Logs.Lines.Count;
        await LaunchAsync(subject, Learner, ("canvas_account_id", accountId));
        var firstWrites = DirectoryWrites(firstMark);
        var before = Assert.Single(await MembershipsAsync(subject));

        var mark = host.Logs.Lines.Count;
        await LaunchAsync(subject, Learner, ("canvas_account_id", accountId));

        // The same filter saw the first launch's writes, so an empty list below means none, not a filter that sees nothing.
        Assert.Contains(firstWrites, w => w.Contains("\"SchoolMemberships\"", StringComparison.Ordinal));
        Assert.Empty(DirectoryWrites(mark));
        var reads = Commands(mark).Where(c => DirectoryTables.Any(t => c.Contains(t, StringComparison.Ordinal))).ToList();
        if (host.Provider == "Sqlite")
        {
            // In process, point reads cost less than their join (AppDbContext.IsInProcess): one per table.
            Assert.All(DirectoryTables, t => Assert.Single(reads, r => r.Contains(t, StringComparison.Ordinal)));
            Assert.Equal(DirectoryTables.Length, reads.Count);
        }
        else
        {
            // Over the network, one round trip joins them.
            Assert.All(DirectoryTables, t => Assert.Contains(t, Assert.Single(reads), StringComparison.Ordinal));
        }

        // The whole login and launch: the login saves its state, the launch takes the state back in one UPDATE that
        // returns it, and makes those reads.
        var commands = Commands(mark);
        Assert.Equal(2 + reads.Count, commands.Count);
        Assert.StartsWith("INSERT INTO \"LtiLaunchStates\"", commands[0], StringComparison.Ordinal);
        Assert.StartsWith("UPDATE \"LtiLaunchStates\"", commands[1], StringComparison.Ordinal);
        Assert.Equal(reads, commands.Skip(2));
        var after = Assert.Single(await MembershipsAsync(subject));
        Assert.Equal(before.UpdatedAt, after.UpdatedAt);
    }

    private static string NewSubject() => "user-" + Guid.NewGuid().ToString("N");

    /// <summary>A new school in the WireMock platform's district, with an alias made through the use case (which also tells this node's cache).</summary>
    private async Task<(Guid SchoolId, string Value)> SchoolWithAliasAsync(string parameter)
    {
        var tenantId = await host.WithDbAsync(db => db.Platforms.Where(p => p.Issuer == TestPlatform.Issuer).Select(p => p.TenantId).SingleAsync());
        var admin = Actors.Admin(tenantId);
        var unique = Guid.NewGuid().ToString("N")[..8];
        var value = parameter == "school_name" ? $"Lincoln Elementary {unique}" : unique;
        var schoolId = await host.WithServiceAsync<ManageSchools, Guid>(s => s.SaveAsync(admin, new SaveSchoolCommand(null, "School " + unique, null), CancellationToken.None));
        await host.WithServiceAsync<ManageSchools, Guid>(s => s.AddAliasAsync(admin, new AddAliasCommand(schoolId, parameter, value), CancellationToken.None));
        return (schoolId, value);
    }

    private async Task LaunchAsync(string subject, string role, (string Name, string Value) custom, string contextId = "ctx-4321")
    {
        var login = await _client.ValidLoginAsync();
        var claims = TestPlatform.ResourceLinkClaims(login.Nonce, _client.LaunchUrl, subject);
        claims[Lti + "roles"] = new JsonArray(role);
        claims[Lti + "custom"] = new JsonObject { [custom.Name] = custom.Value };
        claims[Lti + "context"]!["id"] = contextId;
        var response = await _client.LaunchAsync(host.Platform.Sign(claims), login);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
    }

    private Task<List<SchoolMembership>> MembershipsAsync(string subject) =>
        host.WithDbAsync(db => db.SchoolMemberships.AsNoTracking()
            .Where(m => db.People.Any(p => p.Id == m.PersonId && p.Subject == subject)).ToListAsync());

    private List<string> Commands(int mark) =>
        host.Logs.Lines.Skip(mark)
            .Where(l => l.Category == "Microsoft.EntityFrameworkCore.Database.Command" && l.Level >= LogLevel.Information)
            .Select(l => l.Message[(l.Message.IndexOf('\n', StringComparison.Ordinal) + 1)..].TrimStart())
            .ToList();

    private List<string> DirectoryWrites(int mark) => Commands(mark).Where(c => DirectoryWrite().IsMatch(c)).ToList();

    private static readonly string[] DirectoryTables = ["\"People\"", "\"Courses\"", "\"Enrollments\"", "\"SchoolMemberships\""];

    [GeneratedRegex("(INSERT INTO|UPDATE|DELETE FROM) \"(People|Courses|Enrollments|SchoolMemberships)\"")]
    private static partial Regex DirectoryWrite();
}

[Collection(DirectoryCollections.Sqlite)]
public sealed class DirectoryLaunchTests_Sqlite(SqliteDirectoryHost host) : DirectoryLaunchTests<SqliteDirectoryHost>(host);

[Collection(DirectoryCollections.PostgreSql)]
public sealed class DirectoryLaunchTests_PostgreSql(PostgresDirectoryHost host) : DirectoryLaunchTests<PostgresDirectoryHost>(host);
