using LtiMicroCred.Access;
using LtiMicroCred.Audit;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Ledger;

/// <summary>
/// A district admin, or the principal of the entry's school, corrects a ledger entry: a new correction entry reverses
/// it (the amount negated) and, when the teacher is still owed something, a new award entry records the right amount.
/// The entry itself is never changed. An entry is reversed once; a correction is not itself corrected (correct the
/// new award entry instead).
/// </summary>
public sealed class CorrectLedgerEntry(AppDbContext db, AuditLog audit, TimeProvider time, ResultPosting.Webhooks.LedgerWebhook webhook, ResultPosting.Hours.HoursPassback hours)
{
    public const int MaxReasonLength = 1000;

    /// <summary>Returns the id of the reversing entry.</summary>
    public async Task<Guid> HandleAsync(Actor actor, Guid entryId, string? reason, decimal? correctedAmount, CancellationToken cancellationToken)
    {
        var entry = await db.LedgerEntries.AsNoTracking().SingleOrDefaultAsync(e => e.Id == entryId && e.TenantId == actor.TenantId, cancellationToken)
            ?? throw new NotFoundException("This ledger entry does not exist.");
        if (!actor.LeadsSchool(entry.SchoolId))
        {
            throw new ForbiddenException("Only a district administrator or the principal of the entry's school can correct it.");
        }

        if (entry.EntryType == LedgerEntryType.Correction)
        {
            throw new RuleViolationException("This entry is itself a correction and cannot be corrected. Correct the entry that replaced it, or ask the district to add a new one.");
        }

        if (await db.LedgerEntries.AnyAsync(e => e.ReversesEntryId == entry.Id, cancellationToken))
        {
            throw new RuleViolationException("This entry has already been corrected. Correct the entry that replaced it instead.");
        }

        var errors = new Dictionary<string, string>();
        var why = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (why is null)
        {
            errors["reason"] = "Say why the entry needs correcting: the teacher and auditors will read it.";
        }
        else if (why.Length > MaxReasonLength)
        {
            errors["reason"] = $"Keep the reason under {MaxReasonLength} characters.";
        }

        if (correctedAmount is < 0 or > 1_000_000)
        {
            errors["amount"] = "The corrected amount is a number from 0 up; leave it empty to only reverse the entry.";
        }

        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        var now = time.GetUtcNow();
        var rate = await LedgerPosting.CpdRateAsync(db, actor.TenantId, cancellationToken);
        var reversal = Copy(entry, now, actor.PersonId, why!);
        reversal.EntryType = LedgerEntryType.Correction;
        reversal.ReversesEntryId = entry.Id;
        reversal.Amount = -entry.Amount;
        reversal.CpdUnits = -entry.CpdUnits;
        db.LedgerEntries.Add(reversal);
        var added = new List<LedgerEntry> { reversal };
        var detail = $"Reversed {LedgerPosting.Describe(entry.Kind, entry.Amount)}";
        if (correctedAmount is { } amount && amount > 0)
        {
            var corrected = Copy(entry, now, actor.PersonId, why!);
            corrected.EntryType = LedgerEntryType.Award;
            corrected.Amount = LedgerPosting.Round(amount);
            corrected.CpdUnits = LedgerPosting.CpdUnits(entry.Kind, corrected.Amount, rate);
            db.LedgerEntries.Add(corrected);
            added.Add(corrected);
            detail += $"; now {LedgerPosting.Describe(entry.Kind, corrected.Amount)}";
        }

        await webhook.EnqueueAsync(actor.TenantId, added, cancellationToken);
        await hours.EnqueueAsync(actor.TenantId, added, cancellationToken);
        audit.Record(actor, "ledger.corrected", "ledger-entry", entry.Id, $"{detail}: {why}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique index on the reversed entry: someone else corrected it at the same moment.
            throw new RuleViolationException("Someone else corrected this entry at the same moment. Reload the page to see their correction.");
        }

        return reversal.Id;
    }

    private static LedgerEntry Copy(LedgerEntry entry, DateTimeOffset now, Guid by, string reason) => new()
    {
        Id = Guid.NewGuid(),
        TenantId = entry.TenantId,
        TeacherId = entry.TeacherId,
        SchoolId = entry.SchoolId,
        CredentialId = entry.CredentialId,
        CredentialVersionId = entry.CredentialVersionId,
        AttemptId = entry.AttemptId,
        DecisionId = entry.DecisionId,
        Kind = entry.Kind,
        ApprovedBy = by,
        ApprovedAt = now,
        Reason = reason,
    };
}
