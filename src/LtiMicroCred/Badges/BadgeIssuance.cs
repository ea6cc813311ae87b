using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Audit;
using LtiMicroCred.Catalog;
using LtiMicroCred.Decisions;
using LtiMicroCred.Lti.Keys;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.Badges;

/// <summary>
/// Adds an award's Open Badges 3.0 credential to the decision's unit of work (<see cref="DecideAttempt"/> saves it with
/// the decision, or not at all), and the stack and pathway badges the award completes. Nothing is saved here.
/// </summary>
public sealed class BadgeIssuance(AppDbContext db, ToolKeySet keys, IPublicAddress address, TimeProvider time, AuditLog audit)
{
    public async Task AddAwardAsync(Actor actor, Attempt attempt, AttemptDecision decision, CancellationToken cancellationToken)
    {
        if (decision.Outcome != DecisionOutcome.Awarded)
        {
            return;
        }

        var baseUrl = BadgeUrls.Base(address);
        var earner = await db.People.AsNoTracking().Where(p => p.Id == attempt.TeacherId).Select(p => new { p.Email, p.Subject }).SingleAsync(cancellationToken);
        var issuer = await IssuerAsync(attempt.TenantId, baseUrl, cancellationToken);
        var credential = await db.Credentials.AsNoTracking().SingleAsync(c => c.Id == attempt.CredentialId, cancellationToken);
        var definition = await db.CredentialVersions.AsNoTracking().Where(v => v.Id == attempt.CredentialVersionId).Select(v => v.Definition).SingleAsync(cancellationToken);
        var skills = await (from a in db.SkillAlignments
                            join s in db.Skills on a.SkillId equals s.Id
                            join f in db.SkillFrameworks on s.FrameworkId equals f.Id
                            where a.CredentialVersionId == attempt.CredentialVersionId
                            select new AlignedSkill(s.Id, s.Code, s.Name, f.Name)).AsNoTracking().ToListAsync(cancellationToken);
        var evidence = await db.EvidenceItems.AsNoTracking().Where(e => e.AttemptId == attempt.Id).Select(e => new { e.CriterionKey, e.SourceItemKey }).ToListAsync(cancellationToken);
        var counted = evidence.Where(e => e.SourceItemKey?.StartsWith("comment:", StringComparison.Ordinal) != true).ToList();
        var criteriaTitles = definition.Criteria.Where(c => counted.Any(e => e.CriterionKey == c.Key)).Select(c => c.Title).ToList();
        var summary = $"{counted.Count} evidence item{(counted.Count == 1 ? string.Empty : "s")} for {criteriaTitles.Count} of {definition.Criteria.Count} submission criteria"
            + (criteriaTitles.Count > 0 ? $" ({string.Join(", ", criteriaTitles)})" : string.Empty)
            + $"; scored against a {definition.Rubric.Criteria.Count}-criterion rubric and awarded.";
        var hours = decision.Incentive is { Kind: IncentiveKind.InServiceHours } incentive ? incentive.PerAward : (decimal?)null;
        var signing = await keys.GetLongLivedSigningCredentialsAsync(cancellationToken);
        var subject = new Earner(earner.Email, earner.Subject);

        var achievement = new AchievementInfo(BadgeKind.Credential, credential.Id, credential.Title, definition.Competency, Narrative(definition), skills, hours);
        var badge = Issue(attempt.TenantId, attempt.TeacherId, decision.Id, achievement, $"decision:{decision.Id}", summary, issuer, subject, signing, baseUrl);
        audit.Record(actor, "badge.issued", "badge", badge.Id, $"Badge for \"{credential.Title}\" (attempt {attempt.Number})");

        var held = await (from d in db.AttemptDecisions
                          join a in db.Attempts on d.AttemptId equals a.Id
                          where a.TeacherId == attempt.TeacherId && d.Outcome == DecisionOutcome.Awarded
                          select a.CredentialId).Distinct().ToListAsync(cancellationToken);
        var holds = held.Append(attempt.CredentialId).ToHashSet();
        var titles = await db.Credentials.AsNoTracking().Where(c => holds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Title, cancellationToken);

        var stacks = await db.Stacks.AsNoTracking().Include(s => s.Entries)
            .Where(s => s.TenantId == attempt.TenantId && s.Entries.Any(e => e.CredentialId == attempt.CredentialId)).ToListAsync(cancellationToken);
        foreach (var stack in stacks.Where(s => s.Entries.Count > 0 && s.Entries.All(e => holds.Contains(e.CredentialId))))
        {
            var names = stack.Entries.OrderBy(e => e.Position).Select(e => titles[e.CredentialId]);
            await IssueGroupAsync(actor, attempt.TenantId, attempt.TeacherId, decision.Id, new AchievementInfo(BadgeKind.Stack, stack.Id, stack.Title, stack.Description ?? $"Completed the stack \"{stack.Title}\".",
                $"Earned every credential of the stack: {string.Join("; ", names)}.", [], null), issuer, subject, signing, baseUrl, cancellationToken);
        }

        // A pathway with a committee review completes when the committee approves it, not on an award.
        var pathways = await db.Pathways.AsNoTracking().Include(p => p.Entries)
            .Where(p => p.TenantId == attempt.TenantId && p.CommitteeSize == 0 && p.Entries.Any(e => e.CredentialId == attempt.CredentialId)).ToListAsync(cancellationToken);
        foreach (var pathway in pathways.Where(p => Completes(p, holds)))
        {
            var names = pathway.Entries.Where(e => holds.Contains(e.CredentialId)).Select(e => titles[e.CredentialId]).Order(StringComparer.Ordinal);
            await IssueGroupAsync(actor, attempt.TenantId, attempt.TeacherId, decision.Id, PathwayAchievement(pathway, names, null), issuer, subject, signing, baseUrl, cancellationToken);
        }
    }

    /// <summary>
    /// The pathway badge of a committee review the committee has just approved, added to the vote's unit of work
    /// (<see cref="VotePathwayReview"/> saves it with the closing vote, or not at all). Once per teacher and pathway.
    /// The badge's award is the teacher's latest award of a credential of the pathway: the one that made them eligible.
    /// </summary>
    public async Task AddPathwayApprovalAsync(Actor actor, PathwayReview review, CancellationToken cancellationToken)
    {
        if (review.Status != PathwayReviewStatus.Completed)
        {
            return;
        }

        var pathway = await db.Pathways.AsNoTracking().Include(p => p.Entries).SingleAsync(p => p.Id == review.PathwayId && p.TenantId == review.TenantId, cancellationToken);
        var ids = pathway.Entries.Select(e => e.CredentialId).ToList();
        var awards = await (from d in db.AttemptDecisions
                            join a in db.Attempts on d.AttemptId equals a.Id
                            where a.TenantId == review.TenantId && a.TeacherId == review.TeacherId && d.Outcome == DecisionOutcome.Awarded && ids.Contains(a.CredentialId)
                            select new { d.Id, d.DecidedAt, a.CredentialId }).AsNoTracking().ToListAsync(cancellationToken);
        var latest = awards.OrderBy(a => a.DecidedAt).LastOrDefault()
            ?? throw new RuleViolationException("The teacher holds none of this pathway's credentials, so there is no award to badge.");
        var held = awards.Select(a => a.CredentialId).ToHashSet();
        var titles = await db.Credentials.AsNoTracking().Where(c => held.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Title, cancellationToken);
        var names = pathway.Entries.Where(e => held.Contains(e.CredentialId)).Select(e => titles[e.CredentialId]).Order(StringComparer.Ordinal);

        var baseUrl = BadgeUrls.Base(address);
        var earner = await db.People.AsNoTracking().Where(p => p.Id == review.TeacherId).Select(p => new { p.Email, p.Subject }).SingleAsync(cancellationToken);
        var issuer = await IssuerAsync(review.TenantId, baseUrl, cancellationToken);
        var signing = await keys.GetLongLivedSigningCredentialsAsync(cancellationToken);
        await IssueGroupAsync(actor, review.TenantId, review.TeacherId, latest.Id, PathwayAchievement(pathway, names, "; approved by the pathway's review committee"), issuer,
            new Earner(earner.Email, earner.Subject), signing, baseUrl, cancellationToken);
    }

    private static AchievementInfo PathwayAchievement(Pathway pathway, IEnumerable<string> names, string? approval) =>
        new(BadgeKind.Pathway, pathway.Id, pathway.Title, pathway.Description ?? $"Completed the pathway \"{pathway.Title}\".",
            $"Completed the pathway's prerequisites and at least {Required(pathway)} of its credentials: {string.Join("; ", names)}{approval}.", [], null);

    private static int Required(Pathway pathway)
    {
        var main = pathway.Entries.Count(e => !e.Prerequisite);
        return pathway.MinimumCount > 0 ? Math.Min(pathway.MinimumCount, main) : main;
    }

    private static bool Completes(Pathway pathway, HashSet<Guid> holds) =>
        pathway.Entries.Count > 0
        && pathway.Entries.Where(e => e.Prerequisite).All(e => holds.Contains(e.CredentialId))
        && pathway.Entries.Count(e => !e.Prerequisite && holds.Contains(e.CredentialId)) >= Required(pathway);

    private async Task IssueGroupAsync(Actor actor, Guid tenantId, Guid earnerId, Guid decisionId, AchievementInfo achievement, IssuerInfo issuer, Earner earner,
        SigningCredentials signing, string baseUrl, CancellationToken cancellationToken)
    {
        var once = $"{achievement.Kind.ToString().ToLowerInvariant()}:{achievement.SourceId}:{earnerId}";
        if (await db.IssuedBadges.AnyAsync(b => b.OnceKey == once, cancellationToken))
        {
            return;
        }

        var badge = Issue(tenantId, earnerId, decisionId, achievement, once, achievement.Narrative, issuer, earner, signing, baseUrl);
        audit.Record(actor, "badge.issued", "badge", badge.Id, $"{achievement.Kind} badge for \"{achievement.Name}\"");
    }

    private IssuedBadge Issue(Guid tenantId, Guid earnerId, Guid decisionId, AchievementInfo achievement, string once, string summary, IssuerInfo issuer, Earner earner,
        SigningCredentials signing, string baseUrl)
    {
        var id = Guid.NewGuid();
        // Seconds precision: validFrom and nbf say the same instant.
        var now = time.GetUtcNow();
        var issuedAt = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var payload = BadgeCredential.Build(id, achievement, issuer, earner, issuedAt, BadgeUrls.Revocations(baseUrl, tenantId), baseUrl);
        var jwt = Sign(payload, signing);
        var badge = new IssuedBadge
        {
            Id = id,
            TenantId = tenantId,
            EarnerId = earnerId,
            Kind = achievement.Kind,
            SourceId = achievement.SourceId,
            DecisionId = decisionId,
            OnceKey = once,
            Title = achievement.Name,
            EvidenceSummary = summary,
            IssuedAt = issuedAt,
            Jwt = jwt,
            Kid = signing.Key.KeyId,
            Visibility = NameVisibility.FullName,
        };
        db.IssuedBadges.Add(badge);
        return badge;
    }

    /// <summary>VC-JWT (OB 3.0 section 8.2): the payload is the credential itself; header alg, kid and typ.</summary>
    public static string Sign(JsonObject payload, SigningCredentials signing)
    {
        var header = new JsonObject { ["alg"] = SecurityAlgorithms.RsaSha256, ["kid"] = signing.Key.KeyId, ["typ"] = "JWT" };
        var input = Base64UrlEncoder.Encode(header.ToJsonString()) + "." + Base64UrlEncoder.Encode(payload.ToJsonString(JsonOptions));
        return input + "." + JwtTokenUtilities.CreateEncodedSignature(input, signing);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private async Task<IssuerInfo> IssuerAsync(Guid tenantId, string baseUrl, CancellationToken cancellationToken)
    {
        var settings = await db.BadgeIssuerSettings.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == tenantId, cancellationToken);
        var name = settings?.Name ?? await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.Name).SingleAsync(cancellationToken);
        return new IssuerInfo(BadgeUrls.Issuer(baseUrl, tenantId), name, settings?.Url, settings?.Email);
    }

    private static string Narrative(CredentialDefinition definition)
    {
        var criteria = definition.Criteria.Select(c => c.MinMinutes is { } min && c.MaxMinutes is { } max ? $"{c.Title} ({min}-{max} minutes)" : c.Title);
        var level = definition.Rubric.Levels.Count > definition.Rubric.Passing.MinimumLevel ? definition.Rubric.Levels[definition.Rubric.Passing.MinimumLevel].Name : "the passing level";
        return $"Key method: {definition.KeyMethod} Evidence submitted: {string.Join("; ", criteria)}. "
            + $"Scored by the district's reviewers against a rubric of {definition.Rubric.Criteria.Count} criteria; every criterion at {level} or above"
            + (definition.Rubric.Passing.MinimumTotal is { } total ? $" and at least {total.ToString(CultureInfo.InvariantCulture)} points in all." : ".");
    }
}

public sealed record AlignedSkill(Guid Id, string Code, string Name, string Framework);

public sealed record AchievementInfo(BadgeKind Kind, Guid SourceId, string Name, string Description, string Narrative, IReadOnlyList<AlignedSkill> Skills, decimal? Hours);

public sealed record IssuerInfo(string Id, string Name, string? Url, string? Email);

/// <summary>The earner as the LMS knows them; only salted hashes of these reach the credential.</summary>
public sealed record Earner(string? Email, string Subject);

/// <summary>The Open Badges 3.0 <c>OpenBadgeCredential</c> JSON.</summary>
public static class BadgeCredential
{
    public const string VcContext = "https://www.w3.org/ns/credentials/v2";
    public const string ObContext = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

    /// <summary>Defines 1EdTechRevocationList, the status method used here.</summary>
    public const string ExtensionsContext = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json";

    public static JsonObject Build(Guid id, AchievementInfo achievement, IssuerInfo issuer, Earner earner, DateTimeOffset issuedAt, string revocationList, string baseUrl)
    {
        var validFrom = issuedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var issuerJson = new JsonObject { ["id"] = issuer.Id, ["type"] = new JsonArray("Profile"), ["name"] = issuer.Name };
        if (issuer.Url is not null)
        {
            issuerJson["url"] = issuer.Url;
        }

        if (issuer.Email is not null)
        {
            issuerJson["email"] = issuer.Email;
        }

        var achievementJson = new JsonObject
        {
            ["id"] = BadgeUrls.AchievementId(baseUrl, achievement.Kind, achievement.SourceId),
            ["type"] = new JsonArray("Achievement"),
            ["achievementType"] = "MicroCredential",
            ["name"] = achievement.Name,
            ["description"] = achievement.Description,
            ["criteria"] = new JsonObject { ["narrative"] = achievement.Narrative },
        };
        if (achievement.Skills.Count > 0)
        {
            achievementJson["alignment"] = new JsonArray([.. achievement.Skills.Select(s => (JsonNode)new JsonObject
            {
                ["type"] = new JsonArray("Alignment"),
                ["targetName"] = s.Name,
                ["targetCode"] = s.Code,
                ["targetFramework"] = s.Framework,
                ["targetType"] = "ceasn:Competency",
                ["targetUrl"] = $"{issuer.Id}/skills/{s.Id}",
            })]);
        }

        if (achievement.Hours is { } available)
        {
            achievementJson["creditsAvailable"] = (double)available;
        }

        var subject = new JsonObject
        {
            ["type"] = new JsonArray("AchievementSubject"),
            ["identifier"] = new JsonArray(Identity(earner)),
            ["achievement"] = achievementJson,
        };
        if (achievement.Hours is { } earned)
        {
            subject["creditsEarned"] = (double)earned;
        }

        var credentialId = BadgeUrls.CredentialId(id);
        return new JsonObject
        {
            ["@context"] = new JsonArray(VcContext, ObContext, ExtensionsContext),
            ["id"] = credentialId,
            ["type"] = new JsonArray("VerifiableCredential", "OpenBadgeCredential"),
            ["name"] = achievement.Name,
            ["issuer"] = issuerJson,
            ["validFrom"] = validFrom,
            ["credentialSubject"] = subject,
            // 1EdTechRevocationList rather than BitstringStatusListEntry: it needs no status-list index (no sequence
            // shared across nodes and providers, no race between two awards), the list carries the reason, and it is
            // the method the OB 3.0 spec names. Its type is defined by the extensions context added above.
            ["credentialStatus"] = new JsonObject { ["id"] = revocationList, ["type"] = "1EdTechRevocationList" },
            // VC-JWT registered claims mirror the credential (no sub: the subject has identifiers, not an id).
            ["iss"] = issuer.Id,
            ["jti"] = credentialId,
            ["nbf"] = issuedAt.ToUnixTimeSeconds(),
        };
    }

    /// <summary>
    /// "sha256$" + hex SHA-256 of the identity with a per-badge random salt appended (OB 3.0 IdentityHash): the email
    /// lower-cased and trimmed; without an email, the LMS user id.
    /// </summary>
    private static JsonObject Identity(Earner earner)
    {
        var salt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var (value, type) = string.IsNullOrWhiteSpace(earner.Email) ? (earner.Subject, "ltiUserId") : (earner.Email.Trim().ToLowerInvariant(), "emailAddress");
        return new JsonObject
        {
            ["type"] = "IdentityObject",
            ["hashed"] = true,
            ["identityHash"] = IdentityHash(value, salt),
            ["identityType"] = type,
            ["salt"] = salt,
        };
    }

    public static string IdentityHash(string value, string salt) => "sha256$" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value + salt)));
}
