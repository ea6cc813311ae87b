using System.Text;
using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Coaching;
using LtiMicroCred.Evidence;
using LtiMicroCred.IntegrationTests.Calibration;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.IntegrationTests.Coaching;

/// <summary>Coach assignments and check-ins, through the real use cases on the real database.</summary>
public abstract class CoachingUseCaseTests<THost>(THost host) where THost : ToolHost
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task CheckIn_IsAnsweredPerCriterion_AndNeverChangesTheAttempt()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var coach = await CalibrationSupport.AddPersonAsync(host, d, "Cole Coach", d.North, ProductRoles.Coach);
        var admin = await d.ActorAsync(d.Admin);
        await Use<ManageCoaches, Guid>(m => m.AssignAsync(admin, new CoachAssignmentInput(coach.Id, d.Teacher.Id, null, null), None));
        var teacher = await d.ActorAsync(d.Teacher);
        var id = await StartWithPlanAsync(teacher, d.Credential.Id);

        var page = await Use<TeacherCheckIns, AttemptCheckIns>(t => t.ForAttemptAsync(teacher, id, None));
        Assert.True(page.CanAsk);
        Assert.Equal([new CoachOption(coach.Id, "Cole Coach")], page.Coaches);
        var checkInId = await Use<TeacherCheckIns, Guid>(t => t.AskAsync(teacher, id, coach.Id, CheckInAbout.Plan, "Are my dates realistic?", None));
        await Assert.ThrowsAsync<RuleViolationException>(() => Use<TeacherCheckIns, Guid>(t => t.AskAsync(teacher, id, coach.Id, CheckInAbout.Plan, "And now?", None)));

        var before = await Attempt(id);
        var eventsBefore = await host.WithDbAsync(db => db.AttemptEvents.CountAsync(e => e.AttemptId == id));
        var coachActor = await d.ActorAsync(coach);
        var queue = await Use<CoachCheckIns, IReadOnlyList<CoachQueueEntry>>(c => c.QueueAsync(coachActor, None));
        Assert.Equal([(checkInId, "Ada Teacher", (DateTimeOffset?)null)], queue.Select(q => (q.CheckInId, q.TeacherName, q.AnsweredAt)));
        var view = await Use<CoachCheckIns, CoachCheckInView>(c => c.OpenAsync(coachActor, checkInId, None));
        Assert.Equal("Our goal is data use in grade 4.", view.Attempt.Attempt.Plan!.Alignment);

        var empty = await Assert.ThrowsAsync<InvalidInputException>(() => Answer(coachActor, checkInId, new Dictionary<string, string?> { ["sample"] = " " }, null));
        Assert.True(empty.Errors.ContainsKey("General"));
        await Answer(coachActor, checkInId, new Dictionary<string, string?> { ["sample"] = "Pick two exit tickets.", ["unknown"] = "ignored" }, "Good plan.");

        var after = await Attempt(id);
        Assert.Equal((before.Status, before.Revision, before.UpdatedAt), (after.Status, after.Revision, after.UpdatedAt));
        Assert.Equal(eventsBefore, await host.WithDbAsync(db => db.AttemptEvents.CountAsync(e => e.AttemptId == id)));
        var answered = Assert.Single((await Use<TeacherCheckIns, AttemptCheckIns>(t => t.ForAttemptAsync(teacher, id, None))).CheckIns).CheckIn;
        Assert.Equal([new CheckInComment("sample", "Pick two exit tickets.")], answered.Comments);
        Assert.Equal("Good plan.", answered.GeneralComment);
        Assert.NotNull(answered.AnsweredAt);
        await Assert.ThrowsAsync<RuleViolationException>(() => Answer(coachActor, checkInId, new Dictionary<string, string?>(), "Again"));
    }

    [Fact]
    public async Task OnlyTheAskedCoach_SeesTheCheckInAndTheEvidence()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var coach = await CalibrationSupport.AddPersonAsync(host, d, "Cole Coach", d.North, ProductRoles.Coach);
        var otherCoach = await CalibrationSupport.AddPersonAsync(host, d, "Olga Coach", d.North, ProductRoles.Coach);
        var admin = await d.ActorAsync(d.Admin);
        await Use<ManageCoaches, Guid>(m => m.AssignAsync(admin, new CoachAssignmentInput(coach.Id, null, d.Credential.Id, d.North.Id), None));
        var teacher = await d.ActorAsync(d.Teacher);
        var id = await StartWithPlanAsync(teacher, d.Credential.Id);
        await Use<StartWork, int>(async s => { await s.HandleAsync(teacher, id, None); return 0; });
        var evidenceId = await Use<AddDirectEvidence, Guid>(e => e.HandleAsync(teacher, id,
            new FileEvidence("sample", "", "tickets.pdf", "application/pdf", new MemoryStream(Encoding.UTF8.GetBytes("%PDF-1.7 tickets"))), None));
        var coachActor = await d.ActorAsync(coach);

        // Before any check-in the coach cannot open the evidence; the check-in opens it to them alone.
        await Assert.ThrowsAsync<NotFoundException>(() => OpenFileAsync(coachActor, evidenceId));
        var checkInId = await Use<TeacherCheckIns, Guid>(t => t.AskAsync(teacher, id, coach.Id, CheckInAbout.Evidence, "Is this sample enough?", None));
        Assert.Equal("tickets.pdf", await OpenFileAsync(coachActor, evidenceId));
        await Assert.ThrowsAsync<NotFoundException>(async () => await OpenFileAsync(await d.ActorAsync(otherCoach), evidenceId));

        await Assert.ThrowsAsync<ForbiddenException>(async () => await Use<CoachCheckIns, CoachCheckInView>(async c => await c.OpenAsync(await d.ActorAsync(otherCoach), checkInId, None)));
        await Assert.ThrowsAsync<ForbiddenException>(() => Answer(teacher, checkInId, new Dictionary<string, string?>(), "Self-praise"));
        var other = await TestDistrict.CreateAsync(host);
        await Assert.ThrowsAsync<NotFoundException>(async () => await Use<CoachCheckIns, CoachCheckInView>(async c => await c.OpenAsync(await other.ActorAsync(other.Admin), checkInId, None)));
        await Assert.ThrowsAsync<NotFoundException>(async () => await OpenFileAsync(await other.ActorAsync(other.Admin), evidenceId));

        // A coach only the other teacher may ask is refused; after submission no check-in can be asked.
        await Assert.ThrowsAsync<InvalidInputException>(() => Use<TeacherCheckIns, Guid>(t => t.AskAsync(teacher, id, otherCoach.Id, CheckInAbout.Evidence, "Hi", None)));
        await host.WithDbAsync(async db =>
        {
            var attempt = await db.Attempts.SingleAsync(a => a.Id == id);
            attempt.Status = AttemptStatus.Submitted;
            return await db.SaveChangesAsync();
        });
        Assert.False((await Use<TeacherCheckIns, AttemptCheckIns>(t => t.ForAttemptAsync(teacher, id, None))).CanAsk);
        await Answer(coachActor, checkInId, new Dictionary<string, string?>(), "Yes, it is.");
        await Assert.ThrowsAsync<RuleViolationException>(() => Use<TeacherCheckIns, Guid>(t => t.AskAsync(teacher, id, coach.Id, CheckInAbout.Evidence, "One more?", None)));
    }

    [Fact]
    public async Task Principals_AssignCoachesOnlyWithinTheirSchools()
    {
        var d = await TestDistrict.CreateAsync(host);
        var coach = await CalibrationSupport.AddPersonAsync(host, d, "Cole Coach", d.North, ProductRoles.Coach);
        var principal = await d.ActorAsync(d.Principal);

        var forSchool = await Use<ManageCoaches, Guid>(m => m.AssignAsync(principal, new CoachAssignmentInput(coach.Id, null, null, d.North.Id), None));
        await Assert.ThrowsAsync<ForbiddenException>(() => Use<ManageCoaches, Guid>(m => m.AssignAsync(principal, new CoachAssignmentInput(coach.Id, null, null, d.South.Id), None)));
        var noSchool = await Assert.ThrowsAsync<InvalidInputException>(() => Use<ManageCoaches, Guid>(m => m.AssignAsync(principal, new CoachAssignmentInput(coach.Id, d.Teacher.Id, null, null), None)));
        Assert.True(noSchool.Errors.ContainsKey("SchoolId"));
        var notTheirs = await Assert.ThrowsAsync<InvalidInputException>(() => Use<ManageCoaches, Guid>(m => m.AssignAsync(principal, new CoachAssignmentInput(coach.Id, d.SouthTeacher.Id, null, d.North.Id), None)));
        Assert.True(notTheirs.Errors.ContainsKey("TeacherId"));
        await Assert.ThrowsAsync<ForbiddenException>(async () => await Use<ManageCoaches, Guid>(async m => await m.AssignAsync(await d.ActorAsync(d.Teacher), new CoachAssignmentInput(coach.Id, null, null, d.North.Id), None)));
        var other = await TestDistrict.CreateAsync(host);
        await Assert.ThrowsAsync<NotFoundException>(async () => await Use<ManageCoaches, int>(async m => { await m.RemoveAsync(await other.ActorAsync(other.Admin), forSchool, None); return 0; }));

        // The school-wide coach is North's teachers' coach, not South's.
        var north = await Use<TeacherCheckIns, AttemptCheckIns>(async t => await t.ForAttemptAsync(await d.ActorAsync(d.Teacher), await StartAsync(await d.ActorAsync(d.Teacher), d.Credential.Id), None));
        Assert.Equal([coach.Id], north.Coaches.Select(c => c.PersonId));
        var southActor = await d.ActorAsync(d.SouthTeacher);
        var south = await Use<TeacherCheckIns, AttemptCheckIns>(async t => await t.ForAttemptAsync(southActor, await StartAsync(southActor, d.Credential.Id), None));
        Assert.Empty(south.Coaches);
        Assert.False(south.CanAsk);

        var page = await Use<CoachingQueries, CoachesPage>(q => q.CoachesAsync(principal, None));
        Assert.Equal([("Cole Coach", "North Elementary")], page.Assignments.Select(a => (a.CoachName, a.SchoolName)));
        Assert.Equal(["North Elementary"], page.Schools.Select(s => s.Name));
        await Use<ManageCoaches, int>(async m => { await m.RemoveAsync(principal, forSchool, None); return 0; });
        Assert.Equal(["coach.assigned", "coach.unassigned"], await host.WithDbAsync(db => db.AuditEntries.Where(e => e.TenantId == d.TenantId).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync()));
    }

    private async Task<string> OpenFileAsync(Actor actor, Guid evidenceId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var access = scope.ServiceProvider.GetRequiredService<EvidenceAccess>();
        var (file, _) = await access.FileAsync(actor, evidenceId, scope.ServiceProvider.GetRequiredService<IFileStore>(), None);
        return file.FileName;
    }

    private Task Answer(Actor coach, Guid checkInId, IReadOnlyDictionary<string, string?> comments, string? general) =>
        Use<CoachCheckIns, int>(async c => { await c.AnswerAsync(coach, checkInId, comments, general, None); return 0; });

    private Task<Guid> StartAsync(Actor teacher, Guid credentialId) => Use<StartAttempt, Guid>(s => s.HandleAsync(teacher, credentialId, None));

    private async Task<Guid> StartWithPlanAsync(Actor teacher, Guid credentialId)
    {
        var id = await StartAsync(teacher, credentialId);
        await Use<SavePlan, int>(async s =>
        {
            await s.HandleAsync(teacher, id, new AttemptPlan { Alignment = "Our goal is data use in grade 4.", Steps = [new PlanStep("Give the assessment", DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)))] }, None);
            return 0;
        });
        return id;
    }

    private Task<Attempt> Attempt(Guid id) => host.WithDbAsync(db => db.Attempts.AsNoTracking().SingleAsync(a => a.Id == id));

    private Task<T> Use<TService, T>(Func<TService, Task<T>> action) where TService : notnull => host.WithServiceAsync(action);
}

public sealed class CoachingUseCaseTests_Sqlite(SqliteToolHost host) : CoachingUseCaseTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class CoachingUseCaseTests_PostgreSql(PostgresToolHost host) : CoachingUseCaseTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
