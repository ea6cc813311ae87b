using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.Decisions;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Reports;
using static LtiMicroCred.IntegrationTests.Decisions.DecisionSupport;

namespace LtiMicroCred.IntegrationTests.Reports;

/// <summary>Incentives against budget on the real database: ledger sums and open reservations per school, the district's line, readers.</summary>
public abstract class IncentivesTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task AgainstBudget_SumsAwardsAndOpenReservations_PerSchool_AndTheDistrictBudgetCarriesSchoolsWithoutOne()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var year = BudgetYear.Of(DateTimeOffset.UtcNow);
        var north = await AwardAsync(d);
        var south = await SubmittedAsync(host, await d.ActorAsync(d.SouthTeacher), d.Credential.Id);
        var otherCredential = (await d.AddCredentialAsync("other", "Other")).Item1;
        var released = await host.WithServiceAsync<StartAttempt, Guid>(async u => await u.HandleAsync(await d.ActorAsync(d.SouthTeacher), otherCredential.Id, None));
        await host.WithDbAsync(async db =>
        {
            db.IncentiveBudgets.AddRange(
                new IncentiveBudget { Id = Guid.NewGuid(), TenantId = d.TenantId, SchoolId = d.North.Id, Year = year, Kind = IncentiveKind.InServiceHours, Amount = 10, Revision = Guid.NewGuid() },
                new IncentiveBudget { Id = Guid.NewGuid(), TenantId = d.TenantId, SchoolId = null, Year = year, Kind = IncentiveKind.InServiceHours, Amount = 100, Revision = Guid.NewGuid() },
                new IncentiveBudget { Id = Guid.NewGuid(), TenantId = d.TenantId, SchoolId = d.North.Id, Year = year - 1, Kind = IncentiveKind.InServiceHours, Amount = 7, Revision = Guid.NewGuid() });
            db.BudgetReservations.AddRange(
                Reservation(d, d.North.Id, year, north, 4, released: false),
                Reservation(d, null, year, south, 4, released: false),
                Reservation(d, null, year, released, 9, released: true));
            await db.SaveChangesAsync();
            return 0;
        });
        var admin = await d.ActorAsync(d.Admin);

        var report = await ReportAsync(admin, new ReportFilter(), null);
        Assert.Equal(year, report.Year);
        Assert.Equal(
            [
                new IncentiveLine(d.North.Id, "North Elementary", IncentiveKind.InServiceHours, 10, 4, 4),
                new IncentiveLine(d.South.Id, "South Middle", IncentiveKind.InServiceHours, null, 4, 0),
                new IncentiveLine(null, "District budget (schools without their own)", IncentiveKind.InServiceHours, 100, 4, 0),
            ],
            report.Lines);
        Assert.Equal(6m, report.Lines[0].Remaining);
        Assert.Equal([new IncentiveLine(d.North.Id, "North Elementary", IncentiveKind.InServiceHours, 7, 0, 0)], (await ReportAsync(admin, new ReportFilter(), year - 1)).Lines);
        Assert.Equal([0m, 0m], (await ReportAsync(admin, new ReportFilter(SchoolId: d.North.Id, CredentialId: otherCredential.Id), null)).Lines.SelectMany(l => new[] { l.Reserved, l.Awarded }));

        var principal = await d.ActorAsync(d.Principal);
        Assert.Equal([d.North.Id], (await ReportAsync(principal, new ReportFilter(), null)).Lines.Select(l => l.SchoolId));
        await Assert.ThrowsAsync<ForbiddenException>(() => ReportAsync(principal, new ReportFilter(SchoolId: d.South.Id), null));
        await Assert.ThrowsAsync<ForbiddenException>(async () => await ReportAsync(await d.ActorAsync(d.Teacher), new ReportFilter(), null));
        await Assert.ThrowsAsync<InvalidInputException>(() => ReportAsync(admin, new ReportFilter(), 1066));

        var other = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        Assert.Empty((await ReportAsync(await other.ActorAsync(other.Admin), new ReportFilter(), null)).Lines);
    }

    private static BudgetReservation Reservation(TestDistrict d, Guid? schoolId, int year, Guid attemptId, decimal amount, bool released) => new()
    {
        Id = Guid.NewGuid(), TenantId = d.TenantId, SchoolId = schoolId, Year = year, Kind = IncentiveKind.InServiceHours, Amount = amount, AttemptId = attemptId,
        ReservedAt = DateTimeOffset.UtcNow, ReleasedAt = released ? DateTimeOffset.UtcNow : null,
    };

    private async Task<Guid> AwardAsync(TestDistrict d)
    {
        var id = await SubmittedAsync(host, await d.ActorAsync(d.Teacher), d.Credential.Id);
        await Use<DecideAttempt>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Principal), id, new DecisionInput(DecisionOutcome.Awarded, Levels(2), Feedback(null), null), None));
        return id;
    }

    private Task<IncentivesReport> ReportAsync(Actor actor, ReportFilter filter, int? year) =>
        host.WithServiceAsync<IncentiveQueries, IncentivesReport>(q => q.AgainstBudgetAsync(actor, filter, year, None));
}

public sealed class IncentivesTests_Sqlite(SqliteToolHost host) : IncentivesTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class IncentivesTests_PostgreSql(PostgresToolHost host) : IncentivesTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
