using System.Net;
using System.Text.Json.Nodes;
using LtiMicroCred.Decisions;
using LtiMicroCred.Evidence;
using LtiMicroCred.IntegrationTests.Directory;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.IntegrationTests.ResultPosting;
using LtiMicroCred.Outbox;
using LtiMicroCred.ResultPosting;
using Microsoft.EntityFrameworkCore;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static LtiMicroCred.IntegrationTests.Decisions.DecisionSupport;

namespace LtiMicroCred.IntegrationTests.Settings;

/// <summary>The grade scale set on the programme page is what a decision then posts to the LMS (a WireMock AGS endpoint).</summary>
public abstract class ProgrammeGradeTests<THost>(THost host) where THost : GradePassbackHost
{
    [Fact]
    public async Task CompleteIncomplete_SetOnTheProgrammePage_MakesAnAwardPostOneOfOne_InsteadOfRubricPoints()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var prefix = $"/api/lti/courses/{d.TenantId:N}";
        var token = $"/login/oauth2/token/{d.TenantId:N}";
        await host.WithDbAsync(db => db.Platforms.Where(p => p.Id == d.PlatformId).ExecuteUpdateAsync(s => s.SetProperty(p => p.TokenEndpoint, host.Platform.Url + token)));
        host.Platform.Server.Given(Request.Create().WithPath(token).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("{\"access_token\":\"ags-token\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"scope\":\"https://purl.imsglobal.org/spec/lti-ags/scope/score\"}"));
        var scores = prefix + "/line_items/1/scores";
        host.Platform.Server.Given(Request.Create().WithPath(scores).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/vnd.ims.lis.v1.score+json; charset=utf-8").WithBody("{}"));
        var admin = await d.ActorAsync(d.Admin);
        await Use<MapAssignment>(host, u => u.HandleAsync(admin, new MapAssignmentCommand(d.Credential.Id, "sample", "course-1", "assignment-sample", null, host.Platform.Url + prefix + "/line_items/1"), None));

        using var browser = new DirectoryBrowser(host);
        var lt = await DirectoryBrowser.TokenAsync(host, d.TenantId, d.Admin);
        var page = await browser.OpenAsync($"/app/district/programme?lt={lt}");
        var saved = await browser.PostFormAsync("/app/district/programme", page, [new("lt", lt), new("gradeScale", "CompleteIncomplete"), new("notYetGrade", "Score")]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var id = await SubmittedAsync(host, await d.ActorAsync(d.Teacher), d.Credential.Id);
        await Use<DecideAttempt>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Principal), id, new DecisionInput(DecisionOutcome.Awarded, Levels(2), Feedback(null), null), None));
        var message = await host.WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.TenantId == d.TenantId && m.Kind == GradePassback.Kind));
        await WaitDoneAsync(message.Id);

        var body = Assert.Single(host.Platform.Server.LogEntries.Where(e => e.RequestMessage.Path == scores && e.RequestMessage.Method == "POST")
            .Select(e => JsonNode.Parse(e.RequestMessage.Body!)!.AsObject()));
        // The rubric scale would have posted 2 of 2.
        Assert.Equal((1d, 1d), ((double?)body["scoreGiven"], (double?)body["scoreMaximum"]));
        Assert.Equal("FullyGraded", (string?)body["gradingProgress"]);
    }

    /// <summary>The send runs on the real Hangfire server: poll its write to the row, with a deadline.</summary>
    private async Task WaitDoneAsync(Guid id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var message = await host.WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id));
            if (message.Status == OutboxStatus.Done || DateTime.UtcNow > deadline)
            {
                Assert.True(message.Status == OutboxStatus.Done, $"The grade message is {message.Status} after {message.Attempts} attempt(s): {message.LastError}");
                return;
            }

            await Task.Yield();
        }
    }
}

public sealed class ProgrammeGradeTests_Sqlite(SqliteGradePassbackHost host) : ProgrammeGradeTests<SqliteGradePassbackHost>(host), IClassFixture<SqliteGradePassbackHost>;

public sealed class ProgrammeGradeTests_PostgreSql(PostgresGradePassbackHost host) : ProgrammeGradeTests<PostgresGradePassbackHost>(host), IClassFixture<PostgresGradePassbackHost>;
