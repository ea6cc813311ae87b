using LtiMicroCred.Access;
using LtiMicroCred.Catalog;
using LtiMicroCred.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Catalog;

/// <summary>What each person sees in the catalog: offered to them, active, open, not retired, and only their district's.</summary>
public abstract class CatalogBrowseTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task Browse_ShowsDistrictWideOfferingsToEveryone_AndSchoolOfferingsOnlyToThatSchool()
    {
        var district = await TestDistrict.CreateAsync(host);
        await district.AddCredentialAsync("south-only", "South only", schoolId: district.South.Id);

        Assert.Equal(["data-literacy"], await KeysAsync(district, district.Teacher));
        Assert.Equal(["data-literacy", "south-only"], await KeysAsync(district, district.SouthTeacher));
        await Assert.ThrowsAsync<NotFoundException>(() => GetAsync(district, district.Teacher, "south-only"));
        Assert.Equal("South only", (await GetAsync(district, district.SouthTeacher, "south-only")).Title);
    }

    [Fact]
    public async Task Browse_HidesRetiredCredentials_InactiveOfferings_AndClosedWindows()
    {
        var district = await TestDistrict.CreateAsync(host);
        var (retired, _, _) = await district.AddCredentialAsync("retired", "Retired");
        var (_, _, inactive) = await district.AddCredentialAsync("inactive", "Inactive offering");
        await district.AddCredentialAsync("closed", "Closed window", windowClosesAt: DateTimeOffset.UtcNow.AddDays(-1));
        await district.AddCredentialAsync("closing", "Closing next week", windowClosesAt: DateTimeOffset.UtcNow.AddDays(7));
        await host.WithDbAsync(async db =>
        {
            (await db.Credentials.SingleAsync(c => c.Id == retired.Id)).Retired = true;
            (await db.Offerings.SingleAsync(o => o.Id == inactive.Id)).Active = false;
            return await db.SaveChangesAsync();
        });

        Assert.Equal(["closing", "data-literacy"], await KeysAsync(district, district.Teacher));
        foreach (var key in new[] { "retired", "inactive", "closed" })
        {
            await Assert.ThrowsAsync<NotFoundException>(() => GetAsync(district, district.Teacher, key));
        }
    }

    [Fact]
    public async Task GetCredential_DistrictAdminSeesEveryCredentialOfTheDistrict_EvenOneNotOfferedToThem()
    {
        var district = await TestDistrict.CreateAsync(host);
        await district.AddCredentialAsync("south-only", "South only", schoolId: district.South.Id);

        var detail = await GetAsync(district, district.Admin, "south-only");

        Assert.Equal("South only", detail.Title);
        Assert.Empty(detail.Offers);
        Assert.False(detail.CanStart);
    }

    [Fact]
    public async Task GetCredential_OfAnotherDistrict_IsNotFound_EvenForAnAdmin()
    {
        var district = await TestDistrict.CreateAsync(host);
        var other = await TestDistrict.CreateAsync(host);
        await other.AddCredentialAsync("elsewhere", "Another district's credential");

        await Assert.ThrowsAsync<NotFoundException>(() => GetAsync(district, district.Admin, "elsewhere"));
        await Assert.ThrowsAsync<NotFoundException>(() => GetAsync(district, district.Teacher, "elsewhere"));
        Assert.DoesNotContain("elsewhere", await KeysAsync(district, district.Admin));
    }

    [Fact]
    public async Task GetCredential_GivesTheCurrentVersionsSixComponents_SkillsAndTerms()
    {
        var district = await TestDistrict.CreateAsync(host);
        await host.ImportAsync(await district.ActorAsync(district.Admin), CatalogFiles.Small());

        var detail = await GetAsync(district, district.Teacher, "video");

        Assert.Equal("The educator shows Video coaching", detail.Definition.Competency);
        Assert.Equal("A method for Video coaching", detail.Definition.KeyMethod);
        Assert.Equal(["First part", "Second part"], detail.Definition.MethodComponents);
        Assert.Equal("https://example.org/reading", Assert.Single(detail.Definition.Resources).Url);
        Assert.Equal((7, 10), (detail.Definition.Criteria[1].MinMinutes, detail.Definition.Criteria[1].MaxMinutes));
        Assert.Equal(3, detail.Definition.Rubric.Levels.Count);
        Assert.Equal(new SkillTag("Teacher leadership", "B", "Using data"), Assert.Single(detail.Skills));
        var offer = Assert.Single(detail.Offers);
        Assert.Equal("North Elementary", offer.SchoolName);
        Assert.Equal(new Incentive(IncentiveKind.CpdUnits, 1, 2), offer.Incentive);
        Assert.Equal(["Team learning"], detail.StackTitles);
        Assert.Equal(["Teacher leader"], detail.PathwayTitles);
        Assert.True(detail.CanStart);
    }

    [Fact]
    public async Task Browse_GroupsByStackInOrder_AndByPathwayWithPrerequisitesFirst_TheRestLast()
    {
        var district = await TestDistrict.CreateAsync(host);
        await host.ImportAsync(await district.ActorAsync(district.Admin), CatalogFiles.Small());

        var north = await BrowseAsync(district, district.Teacher);
        var south = await BrowseAsync(district, district.SouthTeacher);

        Assert.Equal(["Team learning", "Teacher leader", "More microcredentials"], north.Groups.Select(g => g.Title));
        Assert.Equal(["plc-data", "video"], north.Groups[0].Credentials.Select(c => c.Key));
        Assert.Equal([(true, "plc-data"), (false, "video")], north.Groups[1].Credentials.Select(c => (c.Prerequisite, c.Key)));
        Assert.Equal(new PathwayRules(1, 3, PathwayReward.SalaryStep, "5% of base salary"), north.Groups[1].Pathway);
        Assert.Equal(["data-literacy"], north.Groups[2].Credentials.Select(c => c.Key));
        Assert.Equal(3, north.CredentialCount);
        // "video" is offered at North only: South sees the stack and the pathway without it.
        Assert.Equal(["plc-data"], south.Groups[0].Credentials.Select(c => c.Key));
        Assert.Equal(2, south.CredentialCount);
    }

    private async Task<CatalogView> BrowseAsync(TestDistrict district, People.Person person)
    {
        var actor = await district.ActorAsync(person);
        return await host.WithServiceAsync<BrowseCatalog, CatalogView>(browse => browse.HandleAsync(actor, CancellationToken.None));
    }

    private async Task<List<string>> KeysAsync(TestDistrict district, People.Person person) =>
        [.. (await BrowseAsync(district, person)).Groups.SelectMany(g => g.Credentials).Select(c => c.Key).Distinct().Order(StringComparer.Ordinal)];

    private async Task<CredentialDetail> GetAsync(TestDistrict district, People.Person person, string key)
    {
        var actor = await district.ActorAsync(person);
        return await host.WithServiceAsync<GetCredential, CredentialDetail>(get => get.HandleAsync(actor, key, CancellationToken.None));
    }
}

public sealed class CatalogBrowseTests_Sqlite(SqliteToolHost host) : CatalogBrowseTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class CatalogBrowseTests_PostgreSql(PostgresToolHost host) : CatalogBrowseTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
