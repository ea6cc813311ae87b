using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LtiMicroCred.Badges;
using LtiMicroCred.Catalog;
using LtiMicroCred.Decisions;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Jobs;
using LtiMicroCred.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using NJsonSchema;
using static LtiMicroCred.IntegrationTests.Badges.BadgeSupport;
using static LtiMicroCred.IntegrationTests.Decisions.DecisionSupport;

namespace LtiMicroCred.IntegrationTests.Badges;

/// <summary>Open Badges 3.0 credentials issued on award, checked as an outside verifier would, over HTTP through the real host.</summary>
public abstract class BadgeTests<THost>(THost host) where THost : ToolHost
{
    private static readonly string SchemaPath = Path.Combine(AppContext.BaseDirectory, "Badges", "Schema", "achievementcredential.json");

    [Fact]
    public async Task Award_IssuesOneSignedBadge_ValidAgainstTheOb3Schema_VerifiedWithThePublishedJwks()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        await SetEmailAsync(host, d.Teacher, "Ada.Teacher@district.example");
        var skills = await AlignSkillsAsync(host, d);

        var badge = Assert.Single(await AwardAsync(host, d, d.Teacher, d.Credential.Id));

        Assert.Equal((BadgeKind.Credential, d.Credential.Id, d.Teacher.Id, d.TenantId), (badge.Kind, badge.SourceId, badge.EarnerId, badge.TenantId));
        Assert.Equal(1, await host.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.TenantId == d.TenantId && e.Action == "badge.issued" && e.SubjectId == badge.Id)));

        // The official schema. NJsonSchema 11.6.2 does not enforce 2019-09's "contains" (a credential whose type lacks
        // OpenBadgeCredential passes it), so what the schema's "contains" requires is checked by hand below; the
        // negative check shows the rest is enforced through the resolved subschemas.
        var schema = await LoadSchemaAsync();
        var payload = BadgeQueries.Payload(badge.Jwt);
        Assert.Empty(schema.Validate(payload.ToJsonString()));
        var noCriteria = payload.DeepClone().AsObject();
        noCriteria["credentialSubject"]!["achievement"]!.AsObject().Remove("criteria");
        Assert.NotEmpty(schema.Validate(noCriteria.ToJsonString()));
        AssertContains(payload["type"], "VerifiableCredential", "OpenBadgeCredential");
        AssertContains(payload["issuer"]!["type"], "Profile");
        AssertContains(payload["credentialSubject"]!["type"], "AchievementSubject");
        AssertContains(payload["credentialSubject"]!["achievement"]!["type"], "Achievement");
        Assert.All(payload["credentialSubject"]!["achievement"]!["alignment"]!.AsArray(), a => AssertContains(a!["type"], "Alignment"));

        // What the credential says.
        Assert.Equal(["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"],
            payload["@context"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal($"urn:uuid:{badge.Id}", payload["id"]!.GetValue<string>());
        var issuerId = payload["issuer"]!["id"]!.GetValue<string>();
        Assert.Equal($"{host.BaseAddress.ToString().TrimEnd('/')}/badges/issuers/{d.TenantId}", issuerId);
        var achievement = payload["credentialSubject"]!["achievement"]!;
        Assert.Equal(("Data literacy", "MicroCredential", 4d), (achievement["name"]!.GetValue<string>(), achievement["achievementType"]!.GetValue<string>(), achievement["creditsAvailable"]!.GetValue<double>()));
        Assert.Equal(TestDistrict.Definition().Competency, achievement["description"]!.GetValue<string>());
        Assert.Contains("Lesson video (7-10 minutes)", achievement["criteria"]!["narrative"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(skills.Select(s => s.Code).Order(), achievement["alignment"]!.AsArray().Select(a => a!["targetCode"]!.GetValue<string>()).Order());
        Assert.Equal(4d, payload["credentialSubject"]!["creditsEarned"]!.GetValue<double>());
        var identity = payload["credentialSubject"]!["identifier"]![0]!;
        Assert.Equal("emailAddress", identity["identityType"]!.GetValue<string>());
        Assert.Equal("sha256$" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("ada.teacher@district.example" + identity["salt"]!.GetValue<string>()))),
            identity["identityHash"]!.GetValue<string>());
        Assert.DoesNotContain("district.example", badge.Jwt.Split('.').Select(Base64UrlEncoder.Decode).Aggregate(string.Concat), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("1EdTechRevocationList", payload["credentialStatus"]!["type"]!.GetValue<string>());

        // The signature, checked with nothing but the host's published JWKS.
        using var http = host.CreateRawClient();
        var jwks = new JsonWebKeySet(await http.GetStringAsync("/.well-known/jwks.json"));
        var token = new JsonWebToken(badge.Jwt);
        Assert.Equal(("RS256", "JWT", badge.Kid), (token.Alg, token.Typ, token.Kid));
        var checkedToken = await new JsonWebTokenHandler().ValidateTokenAsync(badge.Jwt, new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.Keys, ValidIssuer = issuerId, ValidateAudience = false, ValidateLifetime = false, RequireExpirationTime = false,
        });
        Assert.True(checkedToken.IsValid, checkedToken.Exception?.Message);
        Assert.Equal(($"urn:uuid:{badge.Id}", badge.IssuedAt.ToUnixTimeSeconds()), (token.Id, (long)token.GetPayloadValue<long>("nbf")));
        Assert.False(token.TryGetPayloadValue<object>("exp", out _));
        Assert.False(token.TryGetPayloadValue<object>("sub", out _));

        // Downloads: the same bytes every time.
        var file = await http.GetAsync($"/badges/{badge.Id}/credential.jwt");
        Assert.Equal("application/vc+jwt", file.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"badge-{badge.Id}.jwt", file.Content.Headers.ContentDisposition?.FileNameStar ?? file.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal(badge.Jwt, await file.Content.ReadAsStringAsync());
        Assert.Equal(badge.Jwt, await http.GetStringAsync($"/badges/{badge.Id}/credential.jwt"));
        var profile = JsonNode.Parse(await http.GetStringAsync(new Uri(issuerId).PathAndQuery))!;
        Assert.Equal(issuerId, profile["id"]!.GetValue<string>());
        Assert.StartsWith("District ", profile["name"]!.GetValue<string>(), StringComparison.Ordinal);
        var skillUrl = new Uri(achievement["alignment"]![0]!["targetUrl"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(skillUrl.PathAndQuery)).StatusCode);
    }

    [Fact]
    public async Task NotYet_IssuesNoBadge_AndNoEmailHashesTheLmsUser()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var id = await SubmittedAsync(host, await d.ActorAsync(d.SouthTeacher), d.Credential.Id);
        await Use<LtiMicroCred.Decisions.DecideAttempt>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Admin), id,
            new LtiMicroCred.Decisions.DecisionInput(LtiMicroCred.Decisions.DecisionOutcome.NotYet, Levels(1), Feedback("Group the results."), null), None));
        Assert.False(await host.WithDbAsync(db => db.IssuedBadges.AnyAsync(b => b.TenantId == d.TenantId)));

        var badge = Assert.Single(await AwardAsync(host, d, d.Teacher, d.Credential.Id));
        var identity = BadgeQueries.Payload(badge.Jwt)["credentialSubject"]!["identifier"]![0]!;
        Assert.Equal("ltiUserId", identity["identityType"]!.GetValue<string>());
        Assert.Equal(BadgeCredential.IdentityHash(d.Teacher.Subject, identity["salt"]!.GetValue<string>()), identity["identityHash"]!.GetValue<string>());
    }

    [Fact]
    public async Task VerifyForm_AcceptsTheGenuineCredential_RefusesATamperedOne_AndOneSignedWithAnotherKey()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var badge = Assert.Single(await AwardAsync(host, d, d.Teacher, d.Credential.Id));
        using var http = host.CreateRawClient();

        var genuine = await VerifyAsync(http, badge.Jwt);
        Assert.Equal(HttpStatusCode.OK, genuine.Status);
        Assert.Contains("Genuine and valid", genuine.Page, StringComparison.Ordinal);

        // The payload changed (another name), the signature kept.
        var parts = badge.Jwt.Split('.');
        var changed = BadgeQueries.Payload(badge.Jwt);
        changed["name"] = "Master teacher";
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(changed.ToJsonString())}.{parts[2]}";
        var refused = await VerifyAsync(http, tampered);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("altered after it was issued", refused.Page, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", refused.Page, StringComparison.Ordinal);

        // The same content signed with a key of someone else's, under the genuine kid and under its own.
        using var rsa = RSA.Create(2048);
        foreach (var kid in new[] { badge.Kid, "forger-key" })
        {
            var forged = LtiMicroCred.Badges.BadgeIssuance.Sign(changed, new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = kid }, SecurityAlgorithms.RsaSha256));
            var result = await VerifyAsync(http, forged);
            Assert.Equal(HttpStatusCode.BadRequest, result.Status);
            Assert.Contains(kid == badge.Kid ? "altered after it was issued" : "not signed by a key this tool publishes", result.Page, StringComparison.Ordinal);
        }

        var garbage = await VerifyAsync(http, "not a credential");
        Assert.Equal(HttpStatusCode.BadRequest, garbage.Status);
        Assert.Contains("not a signed credential", garbage.Page, StringComparison.Ordinal);

        // The file upload works the same.
        using var content = new MultipartFormDataContent { { new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes(badge.Jwt)), "file", "badge.jwt" } };
        var upload = await http.PostAsync("/badges/verify", content);
        Assert.Contains("Genuine and valid", await upload.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterTwoKeyRotations_TheBadgeStillVerifies_WhileAKeyThatSignedNoBadgeIsDeleted()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var badge = Assert.Single(await AwardAsync(host, d, d.Teacher, d.Credential.Id));
        using var http = host.CreateRawClient();

        await Use<ToolKeyRotationJob>(host, j => j.RunAsync(None));
        var signedNothing = await host.WithDbAsync(db => db.ToolKeys.Where(k => k.Status == LtiMicroCred.Lti.Keys.ToolKeyStatus.Current).Select(k => k.Kid).SingleAsync());
        await Use<ToolKeyRotationJob>(host, j => j.RunAsync(None));
        await Use<ToolKeyRotationJob>(host, j => j.RunAsync(None));

        var jwks = new JsonWebKeySet(await http.GetStringAsync("/.well-known/jwks.json"));
        Assert.Contains(jwks.Keys, k => k.Kid == badge.Kid);
        Assert.DoesNotContain(jwks.Keys, k => k.Kid == signedNothing);
        Assert.False(await host.WithDbAsync(db => db.ToolKeys.AnyAsync(k => k.Kid == signedNothing)));
        Assert.NotEqual(badge.Kid, await host.WithDbAsync(db => db.ToolKeys.Where(k => k.Status == LtiMicroCred.Lti.Keys.ToolKeyStatus.Current).Select(k => k.Kid).SingleAsync()));
        Assert.Contains("Genuine and valid", (await VerifyAsync(http, badge.Jwt)).Page, StringComparison.Ordinal);
        var status = JsonNode.Parse(await http.GetStringAsync($"/badges/{badge.Id}/verification.json"))!;
        Assert.Equal(("valid", "valid"), (status["status"]!.GetValue<string>(), status["signature"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Revocation_ByTheDistrictAdmin_ShowsOnThePage_TheJson_AndTheStatusList_AndOthersCannotRevoke()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var badge = Assert.Single(await AwardAsync(host, d, d.Teacher, d.Credential.Id));
        var other = await TestDistrict.CreateAsync(host, requirePlanApproval: false);

        await Assert.ThrowsAsync<NotFoundException>(async () => await Revoke(await other.ActorAsync(other.Admin), badge.Id, "Not ours."));
        await Assert.ThrowsAsync<ForbiddenException>(async () => await Revoke(await d.ActorAsync(d.Principal), badge.Id, "Principal."));
        await Assert.ThrowsAsync<ForbiddenException>(async () => await Revoke(await d.ActorAsync(d.Teacher), badge.Id, "Mine."));
        var admin = await d.ActorAsync(d.Admin);
        var noReason = await Assert.ThrowsAsync<InvalidInputException>(() => Revoke(admin, badge.Id, " "));
        Assert.True(noReason.Errors.ContainsKey("reason"));
        Assert.Null(await host.WithDbAsync(db => db.IssuedBadges.Where(b => b.Id == badge.Id).Select(b => b.RevokedAt).SingleAsync()));

        await Revoke(admin, badge.Id, "The evidence was another teacher's work.");
        await Assert.ThrowsAsync<RuleViolationException>(() => Revoke(admin, badge.Id, "Again."));

        using var http = host.CreateRawClient();
        var page = WebUtility.HtmlDecode(await http.GetStringAsync($"/badges/{badge.Id}"));
        Assert.Contains("Status: revoked", page, StringComparison.Ordinal);
        Assert.Contains("The evidence was another teacher's work.", page, StringComparison.Ordinal);
        var json = JsonNode.Parse(await http.GetStringAsync($"/badges/{badge.Id}/verification.json"))!;
        Assert.Equal(("revoked", "The evidence was another teacher's work."), (json["status"]!.GetValue<string>(), json["revocationReason"]!.GetValue<string>()));
        var listUrl = new Uri(BadgeQueries.Payload(badge.Jwt)["credentialStatus"]!["id"]!.GetValue<string>());
        var list = JsonNode.Parse(await http.GetStringAsync(listUrl.PathAndQuery))!;
        Assert.Equal([$"urn:uuid:{badge.Id}"], list["revokedCredentials"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()));
        var otherList = JsonNode.Parse(await http.GetStringAsync($"/badges/issuers/{other.TenantId}/revocations"))!;
        Assert.Empty(otherList["revokedCredentials"]!.AsArray());
        Assert.Contains("Genuine but revoked", (await VerifyAsync(http, badge.Jwt)).Page, StringComparison.Ordinal);
        var audit = await host.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.TenantId == d.TenantId && e.Action == "badge.revoked"));
        Assert.Equal((badge.Id, (Guid?)d.Admin.Id), (audit.SubjectId, audit.ActorId));
    }

    [Fact]
    public async Task TeacherSeesOnlyOwnBadges_AndTheirVisibilityChoiceHidesTheirName()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var mine = Assert.Single(await AwardAsync(host, d, d.Teacher, d.Credential.Id));
        var theirs = Assert.Single(await AwardAsync(host, d, d.SouthTeacher, d.Credential.Id));
        var ada = await d.ActorAsync(d.Teacher);

        var list = await host.WithServiceAsync<BadgeQueries, IReadOnlyList<MyBadge>>(q => q.MineAsync(ada, None));
        Assert.Equal([mine.Id], list.Select(b => b.Id));
        await Assert.ThrowsAsync<ForbiddenException>(() => Use<SetBadgeVisibility>(host, u => u.HandleAsync(ada, theirs.Id, NameVisibility.Hidden, None)));
        var other = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var stranger = await other.ActorAsync(other.Teacher);
        await Assert.ThrowsAsync<NotFoundException>(() => Use<SetBadgeVisibility>(host, u => u.HandleAsync(stranger, mine.Id, NameVisibility.Hidden, None)));

        using var http = host.CreateRawClient();
        Assert.Contains("Ada Teacher", await http.GetStringAsync($"/badges/{mine.Id}"), StringComparison.Ordinal);
        await Use<SetBadgeVisibility>(host, u => u.HandleAsync(ada, mine.Id, NameVisibility.Initials, None));
        var initials = await http.GetStringAsync($"/badges/{mine.Id}");
        Assert.Contains("A.T.", initials, StringComparison.Ordinal);
        Assert.DoesNotContain("Ada Teacher", initials, StringComparison.Ordinal);
        await Use<SetBadgeVisibility>(host, u => u.HandleAsync(ada, mine.Id, NameVisibility.Hidden, None));
        var hidden = await http.GetStringAsync($"/badges/{mine.Id}");
        Assert.DoesNotContain("Ada", hidden, StringComparison.Ordinal);
        Assert.Contains("chose not to show their name", hidden, StringComparison.Ordinal);
        var json = JsonNode.Parse(await http.GetStringAsync($"/badges/{mine.Id}/verification.json"))!;
        Assert.Null(json["earner"]);
        // The signed file never changes with the choice.
        Assert.Equal(mine.Jwt, await http.GetStringAsync($"/badges/{mine.Id}/credential.jwt"));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/badges/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task StackAndPathwayBadges_AreIssuedOnce_WhenTheAwardCompletesThem()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var (second, _, _) = await d.AddCredentialAsync("data-advanced", "Advanced data literacy");
        var (third, _, _) = await d.AddCredentialAsync("data-leading", "Leading data teams");
        var stackId = Guid.NewGuid();
        var pathwayId = Guid.NewGuid();
        await host.WithDbAsync(db =>
        {
            db.Stacks.Add(new CredentialStack
            {
                Id = stackId, TenantId = d.TenantId, Key = "data", Title = "Data stack",
                Entries = [new StackEntry { CredentialId = d.Credential.Id, Position = 1 }, new StackEntry { CredentialId = second.Id, Position = 2 }],
            });
            db.Pathways.Add(new Pathway
            {
                Id = pathwayId, TenantId = d.TenantId, Key = "lead", Title = "Data leader pathway", MinimumCount = 1,
                Entries = [new PathwayEntry { CredentialId = d.Credential.Id, Prerequisite = true }, new PathwayEntry { CredentialId = second.Id }, new PathwayEntry { CredentialId = third.Id }],
            });
            return db.SaveChangesAsync();
        });

        Assert.Equal([BadgeKind.Credential], (await AwardAsync(host, d, d.Teacher, d.Credential.Id)).Select(b => b.Kind));
        var completing = await AwardAsync(host, d, d.Teacher, second.Id);
        Assert.Equal([BadgeKind.Credential, BadgeKind.Stack, BadgeKind.Pathway], completing.Select(b => b.Kind));
        Assert.Equal((stackId, pathwayId), (completing[1].SourceId, completing[2].SourceId));
        var schema = await LoadSchemaAsync();
        Assert.All(completing, b => Assert.Empty(schema.Validate(BadgeQueries.Payload(b.Jwt).ToJsonString())));
        Assert.All(completing, b => AssertContains(BadgeQueries.Payload(b.Jwt)["type"], "VerifiableCredential", "OpenBadgeCredential"));
        Assert.Equal([BadgeKind.Credential], (await AwardAsync(host, d, d.Teacher, third.Id)).Select(b => b.Kind));

        var all = await host.WithDbAsync(db => db.IssuedBadges.Where(b => b.EarnerId == d.Teacher.Id).Select(b => b.Kind).ToListAsync());
        Assert.Equal((3, 1, 1), (all.Count(k => k == BadgeKind.Credential), all.Count(k => k == BadgeKind.Stack), all.Count(k => k == BadgeKind.Pathway)));
        // Another teacher with one credential of the stack has no stack badge.
        Assert.Equal([BadgeKind.Credential], (await AwardAsync(host, d, d.SouthTeacher, second.Id)).Select(b => b.Kind));
    }

    [Fact]
    public async Task PathwayWithACommitteeReview_GetsItsBadgeWithTheApproval_NotOnTheAward_AndNoneWhenTheCommitteeDeclines()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var (second, _, _) = await d.AddCredentialAsync("cfa", "Common formative assessment");
        var pathway = await AddPathwayAsync(host, d, minimumCount: 1, committeeSize: 2, prerequisite: d.Credential.Id, second.Id);
        var teacher = await d.ActorAsync(d.Teacher);
        var principal = await d.ActorAsync(d.Principal);
        var admin = await d.ActorAsync(d.Admin);

        Assert.Equal([BadgeKind.Credential], (await AwardAsync(host, d, d.Teacher, d.Credential.Id)).Select(b => b.Kind));
        // The award that makes the teacher eligible issues no pathway badge: the committee has not approved yet.
        var completing = Assert.Single(await AwardAsync(host, d, d.Teacher, second.Id));
        Assert.Equal(BadgeKind.Credential, completing.Kind);

        // Declined: no badge.
        var first = await host.WithServiceAsync<RequestPathwayReview, Guid>(u => u.HandleAsync(teacher, pathway.Key, None));
        Assert.Equal(PathwayReviewStatus.Open, await Vote(principal, first, PathwayVoteOutcome.Award));
        Assert.Equal(PathwayReviewStatus.NotYet, await Vote(admin, first, PathwayVoteOutcome.NotYet, "Show the coaching cycle you led."));
        Assert.False(await host.WithDbAsync(db => db.IssuedBadges.AnyAsync(b => b.Kind == BadgeKind.Pathway && b.EarnerId == d.Teacher.Id)));

        // Approved: the pathway badge, in the same save as the closing vote, tied to the award that made them eligible.
        var again = await host.WithServiceAsync<RequestPathwayReview, Guid>(u => u.HandleAsync(teacher, pathway.Key, None));
        Assert.Equal(PathwayReviewStatus.Open, await Vote(principal, again, PathwayVoteOutcome.Award));
        Assert.False(await host.WithDbAsync(db => db.IssuedBadges.AnyAsync(b => b.Kind == BadgeKind.Pathway && b.EarnerId == d.Teacher.Id)));
        Assert.Equal(PathwayReviewStatus.Completed, await Vote(admin, again, PathwayVoteOutcome.Award));
        var badge = await host.WithDbAsync(db => db.IssuedBadges.SingleAsync(b => b.Kind == BadgeKind.Pathway && b.EarnerId == d.Teacher.Id));
        Assert.Equal((pathway.Id, d.TenantId, completing.DecisionId, $"pathway:{pathway.Id}:{d.Teacher.Id}"), (badge.SourceId, badge.TenantId, badge.DecisionId, badge.OnceKey));
        Assert.Contains("approved by the pathway's review committee", badge.EvidenceSummary, StringComparison.Ordinal);
        var schema = await LoadSchemaAsync();
        var payload = BadgeQueries.Payload(badge.Jwt);
        Assert.Empty(schema.Validate(payload.ToJsonString()));
        Assert.Equal(pathway.Title, payload["credentialSubject"]!["achievement"]!["name"]!.GetValue<string>());
        var closing = await host.WithDbAsync(db => db.AuditEntries.Where(e => e.TenantId == d.TenantId && (e.SubjectId == badge.Id || e.SubjectId == again)).Select(e => e.Action).ToListAsync());
        Assert.Equal(["badge.issued", "pathway-review.requested", "pathway-review.voted-award", "pathway-review.voted-award"], closing.Order(StringComparer.Ordinal));
        using var http = host.CreateRawClient();
        Assert.Contains(pathway.Title, await http.GetStringAsync($"/badges/{badge.Id}"), StringComparison.Ordinal);

        // Once: another approved review of the same pathway issues no second badge.
        await host.WithDbAsync(db => db.PathwayReviews.Where(r => r.Id == again).ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, PathwayReviewStatus.NotYet)));
        var third = await host.WithServiceAsync<RequestPathwayReview, Guid>(u => u.HandleAsync(teacher, pathway.Key, None));
        await Vote(principal, third, PathwayVoteOutcome.Award);
        Assert.Equal(PathwayReviewStatus.Completed, await Vote(admin, third, PathwayVoteOutcome.Award));
        Assert.Equal(1, await host.WithDbAsync(db => db.IssuedBadges.CountAsync(b => b.Kind == BadgeKind.Pathway && b.EarnerId == d.Teacher.Id)));
    }

    private Task<PathwayReviewStatus> Vote(LtiMicroCred.Access.Actor actor, Guid review, PathwayVoteOutcome outcome, string? feedback = null) =>
        host.WithServiceAsync<VotePathwayReview, PathwayReviewStatus>(u => u.HandleAsync(actor, review, outcome, feedback, None));

    private static void AssertContains(JsonNode? types, params string[] expected) =>
        Assert.Superset(expected.ToHashSet(), types!.AsArray().Select(t => t!.GetValue<string>()).ToHashSet());

    /// <summary>
    /// The official schema as NJsonSchema 11.6.2 can read it: it does not resolve 2019-09's "$defs", so they are read
    /// as draft-07 "definitions" (the same subschemas under the older keyword; nothing else is changed).
    /// </summary>
    private static Task<JsonSchema> LoadSchemaAsync() =>
        JsonSchema.FromJsonAsync(File.ReadAllText(SchemaPath).Replace("\"$defs\"", "\"definitions\"", StringComparison.Ordinal)
            .Replace("#/$defs/", "#/definitions/", StringComparison.Ordinal));

    private Task Revoke(LtiMicroCred.Access.Actor actor, Guid id, string reason) => Use<RevokeBadge>(host, u => u.HandleAsync(actor, id, reason, None));

    private static async Task<(HttpStatusCode Status, string Page)> VerifyAsync(HttpClient http, string credential)
    {
        using var content = new MultipartFormDataContent { { new StringContent(credential), "credential" } };
        var response = await http.PostAsync("/badges/verify", content);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }
}

public sealed class BadgeTests_Sqlite(SqliteBadgeHost host) : BadgeTests<SqliteBadgeHost>(host), IClassFixture<SqliteBadgeHost>;

public sealed class BadgeTests_PostgreSql(PostgresBadgeHost host) : BadgeTests<PostgresBadgeHost>(host), IClassFixture<PostgresBadgeHost>;
