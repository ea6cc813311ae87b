using System.Text;
using CsvHelper;
using LtiMicroCred.Access;
using LtiMicroCred.Catalog;
using LtiMicroCred.Decisions;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Ledger;
using LtiMicroCred.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LtiMicroCred.IntegrationTests.Decisions.DecisionSupport;

namespace LtiMicroCred.IntegrationTests.Ledger;

/// <summary>The in-service hours ledger on the real database: written with the award, corrected by reversal, read and exported by role.</summary>
public abstract class LedgerUseCaseTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task Award_WritesOneEntryWithTheDecision_AndNotYetWritesNone()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var principal = await d.ActorAsync(d.Principal);
        var awarded = await SubmittedAsync(host, await d.ActorAsync(d.Teacher), d.Credential.Id);
        var notYet = await SubmittedAsync(host, await d.ActorAsync(d.SouthTeacher), d.Credential.Id);

        var decisionId = await host.WithServiceAsync<DecideAttempt, Guid>(u => u.HandleAsync(principal, awarded, new DecisionInput(DecisionOutcome.Awarded, Levels(2), Feedback(null), null), None));
        await Use<DecideAttempt>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Admin), notYet, new DecisionInput(DecisionOutcome.NotYet, Levels(1), Feedback("Group the results."), null), None));

        var entry = await host.WithDbAsync(db => db.LedgerEntries.SingleAsync(e => e.TenantId == d.TenantId));
        var decision = await host.WithDbAsync(db => db.AttemptDecisions.SingleAsync(x => x.Id == decisionId));
        Assert.Equal((awarded, decisionId, d.Teacher.Id, (Guid?)d.North.Id, d.Credential.Id, d.Version.Id), (entry.AttemptId, entry.DecisionId, entry.TeacherId, entry.SchoolId, entry.CredentialId, entry.CredentialVersionId));
        Assert.Equal((IncentiveKind.InServiceHours, 4m, LedgerEntryType.Award), (entry.Kind, entry.Amount, entry.EntryType));
        Assert.Equal((d.Principal.Id, decision.DecidedAt), (entry.ApprovedBy, entry.ApprovedAt));
        Assert.Null(entry.CpdUnits);
        Assert.Null(entry.ReversesEntryId);
        var audit = await host.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.TenantId == d.TenantId && e.Action == "ledger.awarded"));
        Assert.Equal((entry.Id, (Guid?)d.Principal.Id), (audit.SubjectId, audit.ActorId));
    }

    [Fact]
    public async Task TwoAwardsAtOnce_OnlyTheSavedDecisionHasAnEntry()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var id = await SubmittedAsync(host, await d.ActorAsync(d.Teacher), d.Credential.Id);
        var principal = await d.ActorAsync(d.Principal);
        var admin = await d.ActorAsync(d.Admin);

        await using var one = host.Services.CreateAsyncScope();
        await using var two = host.Services.CreateAsyncScope();
        var results = await Task.WhenAll(
            Outcome(() => one.ServiceProvider.GetRequiredService<DecideAttempt>().HandleAsync(principal, id, new DecisionInput(DecisionOutcome.Awarded, Levels(2), Feedback(null), null), None)),
            Outcome(() => two.ServiceProvider.GetRequiredService<DecideAttempt>().HandleAsync(admin, id, new DecisionInput(DecisionOutcome.Awarded, Levels(2), Feedback(null), null), None)));

        // The losing decision failed to save, and its entry with it.
        Assert.Single(results, r => r is RuleViolationException);
        var decision = await host.WithDbAsync(db => db.AttemptDecisions.SingleAsync(x => x.AttemptId == id));
        var entry = await host.WithDbAsync(db => db.LedgerEntries.SingleAsync(e => e.AttemptId == id));
        Assert.Equal((decision.Id, decision.DecidedBy), (entry.DecisionId, entry.ApprovedBy));
        Assert.Equal(1, await host.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.TenantId == d.TenantId && e.Action == "ledger.awarded")));
    }

    [Fact]
    public async Task Correction_ReversesTheEntry_AddsTheRightAmount_AndTheTotalsFollow()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var admin = await d.ActorAsync(d.Admin);
        await Use<SetLedgerSettings>(host, u => u.HandleAsync(admin, 0.25m, None));
        var entry = await AwardAsync(d, d.Teacher, d.Principal);
        Assert.Equal(1m, entry.CpdUnits);
        var principal = await d.ActorAsync(d.Principal);

        var reversalId = await host.WithServiceAsync<CorrectLedgerEntry, Guid>(u => u.HandleAsync(principal, entry.Id, "The session was 3 hours, not 4.", 3m, None));

        var entries = await host.WithDbAsync(db => db.LedgerEntries.Where(e => e.TenantId == d.TenantId).ToListAsync());
        Assert.Equal(3, entries.Count);
        var reversal = entries.Single(e => e.Id == reversalId);
        Assert.Equal((LedgerEntryType.Correction, (Guid?)entry.Id, -4m, (decimal?)-1m, d.Principal.Id), (reversal.EntryType, reversal.ReversesEntryId, reversal.Amount, reversal.CpdUnits, reversal.ApprovedBy));
        Assert.Equal("The session was 3 hours, not 4.", reversal.Reason);
        var corrected = entries.Single(e => e.Id != entry.Id && e.Id != reversalId);
        Assert.Equal((LedgerEntryType.Award, 3m, (decimal?)0.75m, entry.DecisionId), (corrected.EntryType, corrected.Amount, corrected.CpdUnits, corrected.DecisionId));
        // The original is untouched.
        Assert.Equal(4m, entries.Single(e => e.Id == entry.Id).Amount);

        var mine = await host.WithServiceAsync<LedgerQueries, TeacherLedgerView>(async q => await q.MineAsync(await d.ActorAsync(d.Teacher), None));
        Assert.Equal([4m, 0m, 3m], mine.Lines.Select(l => l.RunningTotal));
        Assert.Equal([new LedgerTotal(IncentiveKind.InServiceHours, 3m, 0.75m)], mine.Totals);
        var district = await host.WithServiceAsync<LedgerQueries, DistrictLedgerView>(q => q.SearchAsync(admin, new LedgerFilter(), None));
        Assert.Equal(3m, district.Totals.Single().Amount);
        Assert.True(district.Rows.Single(r => r.Id == entry.Id).Reversed);
        var audit = await host.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.TenantId == d.TenantId && e.Action == "ledger.corrected"));
        Assert.Equal(entry.Id, audit.SubjectId);
        Assert.Contains("The session was 3 hours", audit.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEntryIsCorrectedOnce_ACorrectionIsNotCorrected_AndAReasonIsRequired()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var entry = await AwardAsync(d, d.Teacher, d.Principal);
        var admin = await d.ActorAsync(d.Admin);

        var noReason = await Assert.ThrowsAsync<InvalidInputException>(() => Correct(admin, entry.Id, "  ", null));
        Assert.True(noReason.Errors.ContainsKey("reason"));
        Assert.Equal(1, await CountAsync(d));

        var reversal = await Correct(admin, entry.Id, "Awarded in error.", null);
        Assert.Equal(2, await CountAsync(d));

        var again = await Assert.ThrowsAsync<RuleViolationException>(() => Correct(admin, entry.Id, "Once more.", 2m));
        Assert.Contains("already been corrected", again.Message, StringComparison.Ordinal);
        var ofCorrection = await Assert.ThrowsAsync<RuleViolationException>(() => Correct(admin, reversal, "Undo the undo.", null));
        Assert.Contains("itself a correction", ofCorrection.Message, StringComparison.Ordinal);
        Assert.Equal(2, await CountAsync(d));
        var totals = await host.WithServiceAsync<LedgerQueries, DistrictLedgerView>(q => q.SearchAsync(admin, new LedgerFilter(), None));
        Assert.Equal(0m, totals.Totals.Single().Amount);
    }

    [Fact]
    public async Task PrincipalSeesOnlyTheirSchool_TeacherOnlyTheirOwn_AndAnotherTenantFindsNothing()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var north = await AwardAsync(d, d.Teacher, d.Principal);
        var south = await AwardAsync(d, d.SouthTeacher, d.Admin);
        var principal = await d.ActorAsync(d.Principal);
        var southPrincipal = await d.ActorAsync(await AddPersonAsync(host, d, "Sam South", d.South.Id, ProductRoles.Principal));

        var seen = await host.WithServiceAsync<LedgerQueries, DistrictLedgerView>(q => q.SearchAsync(principal, new LedgerFilter(), None));
        Assert.Equal([north.Id], seen.Rows.Select(r => r.Id));
        Assert.Equal([d.North.Id], seen.Schools.Select(s => s.Id));
        await Assert.ThrowsAsync<ForbiddenException>(() => host.WithServiceAsync<LedgerQueries, DistrictLedgerView>(q => q.SearchAsync(principal, new LedgerFilter(d.South.Id), None)));
        await Assert.ThrowsAsync<ForbiddenException>(() => Correct(southPrincipal, north.Id, "Not mine.", null));
        await Assert.ThrowsAsync<ForbiddenException>(() => host.WithServiceAsync<LedgerQueries, LedgerRow>(q => q.EntryAsync(southPrincipal, north.Id, None)));

        var teacher = await d.ActorAsync(d.Teacher);
        Assert.Equal([north.Id], (await host.WithServiceAsync<LedgerQueries, TeacherLedgerView>(q => q.MineAsync(teacher, None))).Lines.Select(l => l.Row.Id));
        await Assert.ThrowsAsync<ForbiddenException>(() => host.WithServiceAsync<LedgerQueries, DistrictLedgerView>(q => q.SearchAsync(teacher, new LedgerFilter(), None)));
        await Assert.ThrowsAsync<ForbiddenException>(() => Correct(teacher, north.Id, "Give me more.", 40m));

        var other = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var otherAdmin = await other.ActorAsync(other.Admin);
        await Assert.ThrowsAsync<NotFoundException>(() => Correct(otherAdmin, south.Id, "Not ours.", null));
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithServiceAsync<LedgerQueries, LedgerRow>(q => q.EntryAsync(otherAdmin, south.Id, None)));
        Assert.Empty((await host.WithServiceAsync<LedgerQueries, DistrictLedgerView>(q => q.SearchAsync(otherAdmin, new LedgerFilter(), None))).Rows);
        Assert.Empty((await host.WithServiceAsync<LedgerQueries, TeacherLedgerView>(async q => await q.MineAsync(await other.ActorAsync(other.Teacher), None))).Lines);
        Assert.Equal(2, await CountAsync(d));
    }

    [Fact]
    public async Task Csv_HasTheDocumentedColumns_FollowsTheFilter_AndNeutralisesFormulas()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        await host.WithDbAsync(async db =>
        {
            await db.People.Where(p => p.Id == d.SouthTeacher.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Name, "=HYPERLINK(\"http://evil.example\")"));
            return 0;
        });
        var north = await AwardAsync(d, d.Teacher, d.Principal);
        var south = await AwardAsync(d, d.SouthTeacher, d.Admin);
        var admin = await d.ActorAsync(d.Admin);
        var reversal = await Correct(admin, south.Id, "-4 hours: awarded twice", null);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var all = await CsvAsync(admin, new LedgerFilter(From: today.AddDays(-1), To: today.AddDays(1)));
        Assert.Equal(LedgerQueries.CsvColumns, all.Header);
        Assert.Equal(new[] { north.Id, south.Id, reversal }.Order(), all.Rows.Select(r => Guid.Parse(r["entry_id"])).Order());
        var row = all.Rows.Single(r => r["entry_id"] == north.Id.ToString());
        Assert.Equal(("Award", "in_service_hours", "4", d.North.Id.ToString(), "North Elementary", d.Credential.Id.ToString(), "1"),
            (row["entry_type"], row["kind"], row["amount"], row["school_id"], row["school_name"], row["credential_id"], row["credential_version"]));
        Assert.Equal((north.AttemptId.ToString(), north.DecisionId.ToString(), string.Empty, string.Empty), (row["attempt_id"], row["decision_id"], row["cpd_units"], row["reverses_entry_id"]));
        Assert.Equal(north.ApprovedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture), row["approved_at_utc"]);
        var reversed = all.Rows.Single(r => r["entry_id"] == reversal.ToString());
        // Text that a spreadsheet would run as a formula starts with ' ; numbers stay numbers.
        Assert.Equal("'=HYPERLINK(\"http://evil.example\")", reversed["teacher_name"]);
        Assert.Equal("'-4 hours: awarded twice", reversed["reason"]);
        Assert.Equal(("-4", "Correction", south.Id.ToString()), (reversed["amount"], reversed["entry_type"], reversed["reverses_entry_id"]));

        Assert.Equal([north.Id], (await CsvAsync(admin, new LedgerFilter(SchoolId: d.North.Id))).Rows.Select(r => Guid.Parse(r["entry_id"])));
        Assert.Equal([north.Id], (await CsvAsync(admin, new LedgerFilter(Teacher: d.Teacher.Name.ToUpperInvariant()))).Rows.Select(r => Guid.Parse(r["entry_id"])));
        Assert.Empty((await CsvAsync(admin, new LedgerFilter(From: today.AddDays(2)))).Rows);
        Assert.Empty((await CsvAsync(admin, new LedgerFilter(To: today.AddDays(-2)))).Rows);
        Assert.Equal([north.Id], (await CsvAsync(await d.ActorAsync(d.Principal), new LedgerFilter())).Rows.Select(r => Guid.Parse(r["entry_id"])));
        await Assert.ThrowsAsync<ForbiddenException>(async () => await CsvAsync(await d.ActorAsync(d.Teacher), new LedgerFilter()));
    }

    private async Task<LedgerEntry> AwardAsync(TestDistrict d, Person teacher, Person decider)
    {
        var id = await SubmittedAsync(host, await d.ActorAsync(teacher), d.Credential.Id);
        await Use<DecideAttempt>(host, async u => await u.HandleAsync(await d.ActorAsync(decider), id, new DecisionInput(DecisionOutcome.Awarded, Levels(2), Feedback(null), null), None));
        return await host.WithDbAsync(db => db.LedgerEntries.SingleAsync(e => e.AttemptId == id));
    }

    private Task<Guid> Correct(Actor actor, Guid entryId, string? reason, decimal? amount) =>
        host.WithServiceAsync<CorrectLedgerEntry, Guid>(u => u.HandleAsync(actor, entryId, reason, amount, None));

    private Task<int> CountAsync(TestDistrict d) => host.WithDbAsync(db => db.LedgerEntries.CountAsync(e => e.TenantId == d.TenantId));

    private async Task<ParsedCsv> CsvAsync(Actor actor, LedgerFilter filter)
    {
        using var output = new MemoryStream();
        await Use<LedgerQueries>(host, q => q.WriteCsvAsync(actor, filter, output, None));
        return ParsedCsv.Parse(output.ToArray());
    }

    private static async Task<Exception?> Outcome(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}

/// <summary>A CSV read back with the same library, by column name.</summary>
internal sealed record ParsedCsv(IReadOnlyList<string> Header, IReadOnlyList<Dictionary<string, string>> Rows)
{
    public static ParsedCsv Parse(byte[] bytes)
    {
        Assert.StartsWith("entry_id,", Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF'), StringComparison.Ordinal);
        using var reader = CsvReader.Create(bytes, new CsvReaderOptions { Separator = ',' });
        var header = reader.Headers.ToList();
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
        {
            rows.Add(header.Select((name, i) => (name, value: reader.GetString(i))).ToDictionary(f => f.name, f => f.value));
        }

        return new ParsedCsv(header, rows);
    }
}

public sealed class LedgerUseCaseTests_Sqlite(SqliteToolHost host) : LedgerUseCaseTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class LedgerUseCaseTests_PostgreSql(PostgresToolHost host) : LedgerUseCaseTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
