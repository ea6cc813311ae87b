using System.Globalization;
using LtiMicroCred.Catalog;
using LtiMicroCred.Decisions;
using LtiMicroCred.Lti.Platforms;
using LtiMicroCred.Lti.Services.Ags;
using LtiMicroCred.Outbox;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LtiMicroCred.ResultPosting;

/// <summary>
/// Sends one grade: the decision's score to one line item, for the teacher (their LTI subject). Idempotent: the score
/// carries the decision time as its timestamp and is built from the saved decision alone, so a resend after a crash
/// posts the same score, and the platform keeps the latest timestamp. A decision whose teacher has a later decided
/// attempt at the same credential posting to the same line item is skipped, so an older decision never overwrites a
/// newer one. The comment summarises the decision; it never carries evidence or feedback text.
/// </summary>
public sealed partial class GradePassbackHandler(AppDbContext db, IPlatformRegistry platforms, AgsClient ags, ILogger<GradePassbackHandler> logger) : IOutboxHandler
{

    public string Kind => GradePassback.Kind;

    public async Task SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var payload = message.PayloadAs<GradePassbackPayload>();
        var decision = await db.AttemptDecisions.AsNoTracking().SingleOrDefaultAsync(d => d.Id == payload.DecisionId && d.TenantId == message.TenantId, cancellationToken);
        if (decision is null)
        {
            LogSkipped(logger, message.Id, "its decision no longer exists");
            return;
        }

        // One read for everything the score needs (the drain sends many grades a second; each read is a round trip).
        var context = await db.Attempts.AsNoTracking()
            .Where(a => a.Id == decision.AttemptId)
            .Select(a => new
            {
                a.TenantId,
                a.TeacherId,
                a.CredentialId,
                a.Number,
                Teacher = db.People.Where(p => p.Id == a.TeacherId).Select(p => new { p.Subject, p.PlatformId }).Single(),
                Definition = db.CredentialVersions.Where(v => v.Id == decision.CredentialVersionId).Select(v => v.Definition).Single(),
                Title = db.Credentials.Where(c => c.Id == a.CredentialId).Select(c => c.Title).Single(),
                Settings = db.ProgrammeSettings.Where(s => s.TenantId == a.TenantId).Select(s => new { s.GradeScale, s.NotYetGrade }).FirstOrDefault(),
            })
            .SingleAsync(cancellationToken);
        var newer = await db.AttemptDecisions.AsNoTracking()
            .Join(db.Attempts, d => d.AttemptId, a => a.Id, (d, a) => a)
            .AnyAsync(a => a.TenantId == context.TenantId && a.TeacherId == context.TeacherId && a.CredentialId == context.CredentialId && a.Number > context.Number
                && (db.AssignmentMappings.Any(m => m.CredentialVersionId == a.CredentialVersionId && m.LineItemUrl == payload.LineItemUrl)
                    || db.CredentialLineItems.Any(l => l.CredentialId == a.CredentialId && l.LineItemUrl == payload.LineItemUrl)), cancellationToken);
        if (newer)
        {
            LogSkipped(logger, message.Id, "a later attempt at the credential has been decided");
            return;
        }

        var defaults = new ProgrammeSettings();
        var platform = await platforms.GetAsync(context.Teacher.PlatformId, cancellationToken)
            ?? throw new InvalidOperationException("The teacher's LMS is not registered (or is disabled), so the grade cannot be sent.");

        var score = BuildScore(decision, context.Definition.Rubric, context.Title, context.Teacher.Subject,
            context.Settings?.GradeScale ?? defaults.GradeScale, context.Settings?.NotYetGrade ?? defaults.NotYetGrade);
        if (message.MayHaveBeenSent && await AlreadyPostedAsync(platform, payload.LineItemUrl, score, cancellationToken))
        {
            LogSkipped(logger, message.Id, "the LMS has this score already (an earlier send was cut off before it was marked done)");
            return;
        }

        await ags.PostScoreAsync(platform, payload.LineItemUrl, score, cancellationToken);
        LogPosted(logger, message.Id, decision.Outcome, score.GradingProgress);
    }

    /// <summary>
    /// After a send that was cut off (the outbox says it may have arrived): the teacher's result on the line item, as the
    /// LMS holds it, against the score about to be posted (deterministic from the decision). Same comment and same
    /// fraction of the maximum (an LMS may scale to the line item's maximum) = it arrived; a different or no result = post.
    /// </summary>
    private async Task<bool> AlreadyPostedAsync(LtiPlatform platform, string lineItemUrl, Score score, CancellationToken cancellationToken)
    {
        await foreach (var result in ags.ListResultsAsync(platform, lineItemUrl, score.UserId, cancellationToken: cancellationToken))
        {
            if (result.UserId == score.UserId && result.Comment == score.Comment && SameFraction(result, score))
            {
                return true;
            }
        }

        return false;

        static bool SameFraction(LineItemResult result, Score score) =>
            score.ScoreGiven is not { } given || score.ScoreMaximum is not { } maximum || maximum == 0
                ? result.ResultScore is null
                : result.ResultScore is { } got && result.ResultMaximum is { } of && of != 0 && Math.Abs(got / of - given / maximum) < 1e-9;
    }

    /// <summary>The score of a decision on the district's scale; the same decision always gives the same score.</summary>
    public static Score BuildScore(AttemptDecision decision, Rubric rubric, string credentialTitle, string userId, GradeScale scale, NotYetGrade notYet)
    {
        var total = decision.Results.Sum(r => r.Level >= 0 && r.Level < rubric.Levels.Count ? rubric.Levels[r.Level].Points : 0);
        var awarded = decision.Outcome == DecisionOutcome.Awarded;
        var points = string.Create(CultureInfo.InvariantCulture, $"{total} of {rubric.MaxTotal} rubric points");
        var comment = awarded
            ? $"Microcredential awarded: {credentialTitle} ({points})."
            : $"Not yet: {credentialTitle} ({points}). The feedback and next steps are in the microcredential tool.";
        var pending = !awarded && notYet == NotYetGrade.Pending;
        var (given, maximum) = scale == GradeScale.CompleteIncomplete
            ? (awarded ? 1d : 0d, 1d)
            : ((double)total, (double)rubric.MaxTotal);
        return new Score
        {
            UserId = userId,
            ScoreGiven = pending ? null : given,
            ScoreMaximum = pending ? null : maximum,
            Comment = comment,
            Timestamp = decision.DecidedAt,
            ActivityProgress = "Completed",
            GradingProgress = pending ? "Pending" : "FullyGraded",
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Grade message {MessageId} not sent: {Reason}.")]
    private static partial void LogSkipped(ILogger logger, Guid messageId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Grade message {MessageId} posted ({Outcome}, {GradingProgress}).")]
    private static partial void LogPosted(ILogger logger, Guid messageId, DecisionOutcome outcome, string gradingProgress);
}
