using System.Text;
using System.Text.Json.Nodes;
using LtiMicroCred.Catalog;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Reviews;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Catalog;

/// <summary>
/// A credential's optional "review" object in the catalog file: imported as the credential's review policy, unchanged
/// on an identical re-import, refused whole (naming the credential's entry and the field) when invalid, and carried
/// through an export and an import.
/// </summary>
public abstract class CatalogReviewTests<THost>(THost host) where THost : ToolHost
{
    private static readonly CatalogReview Named = new()
    {
        RequiredReviews = 2, Anonymous = false, DueSchoolDays = 7, ReminderSchoolDays = 2, ReallocateAfterSchoolDays = 3,
        Eligibility = [ReviewerEligibility.SameSchool, ReviewerEligibility.TrainedReviewers],
    };

    /// <summary>The small catalog, its "plc-data" credential peer reviewed as <see cref="Named"/>; "video" has no review object.</summary>
    private static CatalogDocument Reviewed(CatalogReview? review = null) => CatalogFiles.Small().With("plc-data", c => c with { Review = review ?? Named });

    [Fact]
    public async Task Import_WithAReviewObject_CreatesTheCredentialsReviewPolicy()
    {
        var district = await TestDistrict.CreateAsync(host);
        var admin = await district.ActorAsync(district.Admin);

        var summary = await host.ImportAsync(admin, Reviewed());

        Assert.True(summary.ChangedAnything);
        Assert.Equal(new ChangeCount(2, 0, 0), summary.Credentials);
        var policies = await PoliciesAsync(district);
        var (key, policy) = Assert.Single(policies);
        Assert.Equal("plc-data", key);
        Assert.Equal(district.TenantId, policy.TenantId);
        Assert.Equal(2, policy.RequiredReviews);
        Assert.False(policy.Anonymous);
        Assert.Equal(7, policy.DueSchoolDays);
        Assert.Equal(2, policy.ReminderSchoolDays);
        Assert.Equal(3, policy.ReallocateAfterSchoolDays);
        Assert.Equal(ReviewerEligibility.SameSchool | ReviewerEligibility.TrainedReviewers, policy.Eligibility);
    }

    [Fact]
    public async Task Import_AReviewObjectWithOnlyRequiredReviews_TakesTheDocumentedDefaults()
    {
        var district = await TestDistrict.CreateAsync(host);
        var admin = await district.ActorAsync(district.Admin);
        var file = JsonNode.Parse(CatalogJson.Write(CatalogFiles.Small()))!;
        file["credentials"]![0]!["review"] = JsonNode.Parse("{ \"requiredReviews\": 1 }");
        Assert.Equal("plc-data", (string?)file["credentials"]![0]!["key"]);

        await host.ImportAsync(admin, Encoding.UTF8.GetBytes(file.ToJsonString()));

        var policy = (await PoliciesAsync(district))["plc-data"];
        Assert.Equal((1, true, 5, 1, 2, ReviewerEligibility.AnyColleague),
            (policy.RequiredReviews, policy.Anonymous, policy.DueSchoolDays, policy.ReminderSchoolDays, policy.ReallocateAfterSchoolDays, policy.Eligibility));
    }

    [Fact]
    public async Task ReimportUnchanged_CountsNoChange_AndLeavesThePolicyAsItWas()
    {
        var district = await TestDistrict.CreateAsync(host);
        var admin = await district.ActorAsync(district.Admin);
        await host.ImportAsync(admin, Reviewed());
        var before = (await PoliciesAsync(district))["plc-data"];

        var summary = await host.ImportAsync(admin, Reviewed());

        Assert.False(summary.ChangedAnything);
        Assert.False(summary.SettingsChanged);
        Assert.Equal(new ChangeCount(0, 0, 2), summary.Credentials);
        Assert.Equal(0, summary.NewVersions);
        var after = (await PoliciesAsync(district))["plc-data"];
        Assert.Equal(before.UpdatedAt, after.UpdatedAt);
        Assert.Equivalent(before, after, strict: true);
    }

    [Fact]
    public async Task ReimportWithAChangedReview_CountsTheChange_AndUpdatesThePolicy()
    {
        var district = await TestDistrict.CreateAsync(host);
        var admin = await district.ActorAsync(district.Admin);
        await host.ImportAsync(admin, Reviewed());

        var summary = await host.ImportAsync(admin, Reviewed(Named with { Eligibility = [ReviewerEligibility.SameCohort] }));

        Assert.True(summary.ChangedAnything);
        Assert.True(summary.SettingsChanged);
        Assert.Equal(0, summary.NewVersions);
        var policy = Assert.Single(await PoliciesAsync(district)).Value;
        Assert.Equal(ReviewerEligibility.SameCohort, policy.Eligibility);
        Assert.Equal(2, policy.RequiredReviews);
    }

    [Theory]
    [InlineData("requiredReviews", -1, "from 0 to 5")]
    [InlineData("requiredReviews", 6, "from 0 to 5")]
    [InlineData("dueSchoolDays", 61, "from 1 to 60 school days")]
    [InlineData("reminderSchoolDays", 7, "one day less than the review's school days")]
    [InlineData("reallocateAfterSchoolDays", 31, "0 to 30")]
    public async Task InvalidReview_IsRefusedNamingTheCredentialAndField_AndChangesNothing(string field, int value, string reason)
    {
        var district = await TestDistrict.CreateAsync(host);
        var admin = await district.ActorAsync(district.Admin);
        await host.ImportAsync(admin, Reviewed());
        var before = await PoliciesAsync(district);
        var invalid = field switch
        {
            "requiredReviews" => Named with { RequiredReviews = value },
            "dueSchoolDays" => Named with { DueSchoolDays = value },
            "reminderSchoolDays" => Named with { ReminderSchoolDays = value },
            "reallocateAfterSchoolDays" => Named with { ReallocateAfterSchoolDays = value },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };
        // "plc-data" would change to a valid setting and "video" ("$.credentials[1]") would get an invalid one: neither is written.
        var document = Reviewed(Named with { RequiredReviews = 3 }).With("video", c => c with { Review = invalid });

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => host.ImportAsync(admin, document));

        var (path, why) = Assert.Single(refused.Errors);
        Assert.Equal("$.credentials[1].review." + field, path);
        Assert.Contains(reason, why, StringComparison.Ordinal);
        await AssertUnchangedAsync(district, before);
    }

    [Theory]
    [InlineData("\"sameDistrict\"", "$.credentials[0].review.eligibility")]
    [InlineData("1", "$.credentials[0].review.eligibility")]
    public async Task UnknownEligibility_IsRefusedNamingTheCredentialAndField_AndChangesNothing(string eligibility, string pathStart)
    {
        var district = await TestDistrict.CreateAsync(host);
        var admin = await district.ActorAsync(district.Admin);
        await host.ImportAsync(admin, Reviewed());
        var before = await PoliciesAsync(district);
        var json = Encoding.UTF8.GetString(CatalogJson.Write(Reviewed(Named with { RequiredReviews = 3 })));
        var broken = ReplaceOnce(json, "\"trainedReviewers\"", eligibility);

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => host.ImportAsync(admin, Encoding.UTF8.GetBytes(broken)));

        var (path, why) = Assert.Single(refused.Errors);
        Assert.StartsWith(pathStart, path, StringComparison.Ordinal);
        Assert.Contains("not one of the allowed values", why, StringComparison.Ordinal);
        await AssertUnchangedAsync(district, before);
    }

    [Fact]
    public async Task Export_WritesThePolicy_AndImportingTheExportElsewhereRoundTripsIt()
    {
        var district = await TestDistrict.CreateAsync(host);
        var admin = await district.ActorAsync(district.Admin);
        await host.ImportAsync(admin, Reviewed());

        var exported = await host.ExportAsync(admin);
        var bytes = CatalogJson.Write(exported);

        Assert.Equal(Named, exported.Credentials.Single(c => c.Key == "plc-data").Review, new ReviewComparer());
        Assert.Null(exported.Credentials.Single(c => c.Key == "video").Review);
        var written = JsonNode.Parse(bytes)!["credentials"]!.AsArray().Single(c => (string?)c!["key"] == "plc-data")!["review"]!;
        Assert.Equal("""{"requiredReviews":2,"anonymous":false,"dueSchoolDays":7,"reminderSchoolDays":2,"reallocateAfterSchoolDays":3,"eligibility":["sameSchool","trainedReviewers"]}""",
            written.ToJsonString());

        // Back into the same district: nothing to change.
        var again = await host.ImportAsync(admin, bytes);
        Assert.False(again.ChangedAnything);

        // Into another district: the same policy, and its export is the same review object.
        var other = await TestDistrict.CreateAsync(host);
        var otherAdmin = await other.ActorAsync(other.Admin);
        await host.ImportAsync(otherAdmin, bytes);
        var source = (await PoliciesAsync(district))["plc-data"];
        var copy = (await PoliciesAsync(other))["plc-data"];
        Assert.Equal(
            (source.RequiredReviews, source.Anonymous, source.DueSchoolDays, source.ReminderSchoolDays, source.ReallocateAfterSchoolDays, source.Eligibility),
            (copy.RequiredReviews, copy.Anonymous, copy.DueSchoolDays, copy.ReminderSchoolDays, copy.ReallocateAfterSchoolDays, copy.Eligibility));
        Assert.Equal(other.TenantId, copy.TenantId);
        Assert.DoesNotContain("data-literacy", (await PoliciesAsync(other)).Keys);
        Assert.Equal(ReviewJson(exported.Credentials.Single(c => c.Key == "plc-data").Review!),
            ReviewJson((await host.ExportAsync(otherAdmin)).Credentials.Single(c => c.Key == "plc-data").Review!));
    }

    private async Task AssertUnchangedAsync(TestDistrict district, Dictionary<string, ReviewPolicy> before)
    {
        var after = await PoliciesAsync(district);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (key, policy) in before)
        {
            Assert.Equivalent(policy, after[key], strict: true);
        }

        var versions = await host.WithDbAsync(db => db.CredentialVersions.CountAsync(v => db.Credentials.Any(c => c.Id == v.CredentialId && c.TenantId == district.TenantId)));
        Assert.Equal(3, versions); // data-literacy, plc-data and video, one version each
    }

    /// <summary>The district's review policies by credential key.</summary>
    private Task<Dictionary<string, ReviewPolicy>> PoliciesAsync(TestDistrict district) => host.WithDbAsync(async db =>
        (await db.ReviewPolicies.AsNoTracking().Where(p => p.TenantId == district.TenantId)
            .Join(db.Credentials, p => p.CredentialId, c => c.Id, (p, c) => new { c.Key, Policy = p }).ToListAsync())
        .ToDictionary(x => x.Key, x => x.Policy, StringComparer.Ordinal));

    private static string ReviewJson(CatalogReview review) =>
        System.Text.Json.JsonSerializer.Serialize(review, CatalogJson.Options).ReplaceLineEndings("\n");

    /// <summary>Replaces the one occurrence of <paramref name="find"/>; fails the test when there is none or several.</summary>
    private static string ReplaceOnce(string text, string find, string replacement)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0 && text.IndexOf(find, at + 1, StringComparison.Ordinal) < 0, $"Expected exactly one {find} in:\n{text}");
        return string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + find.Length));
    }

    private sealed class ReviewComparer : IEqualityComparer<CatalogReview?>
    {
        public bool Equals(CatalogReview? x, CatalogReview? y) =>
            x is not null && y is not null && x.ToInput() == y.ToInput() && x.Eligibility.SequenceEqual(y.Eligibility);

        public int GetHashCode(CatalogReview? obj) => 0;
    }
}

public sealed class CatalogReviewTests_Sqlite(SqliteToolHost host) : CatalogReviewTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class CatalogReviewTests_PostgreSql(PostgresToolHost host) : CatalogReviewTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
