namespace LtiMicroCred.Outbox;

public enum OutboxStatus
{
    Pending,
    Done,
    Dead,
}

/// <summary>
/// One thing the tool must tell the outside world (a grade, a webhook, a badge) because of a change it saved: written
/// in the same transaction as that change, sent later by <see cref="SendOutboxMessageJob"/>. The payload holds ids and
/// small facts only, never evidence content or tokens; the handler reads what else it needs when it sends.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>Which <see cref="IOutboxHandler"/> sends it: "grade.passback", "webhook.decision", ...</summary>
    public required string Kind { get; set; }

    /// <summary>JSON: ids and small facts only.</summary>
    public required string Payload { get; set; }

    /// <summary>Sent with the message so a receiver can drop a repeat (a send whose "done" was lost is sent again).</summary>
    public Guid EventId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Not sent before this: now when written, later after a failed attempt (the backoff).</summary>
    public DateTimeOffset DueAt { get; set; }

    public int Attempts { get; set; }

    public OutboxStatus Status { get; set; }

    /// <summary>The worker sending it now, until <see cref="ClaimedUntil"/>; a lease that a crashed worker cannot keep.</summary>
    public string? ClaimedBy { get; set; }

    public DateTimeOffset? ClaimedUntil { get; set; }

    /// <summary>The receiver's last refusal, short, as the district admin sees it on the outbox page.</summary>
    public string? LastError { get; set; }

    public DateTimeOffset? DoneAt { get; set; }
}

/// <summary>The "Outbox" section.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>After this many failed sends a message is a dead letter, waiting for a district admin to retry it.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>How long a worker may hold a message while sending it; a handler's own timeouts must be shorter.</summary>
    public int LeaseSeconds { get; set; } = 300;
}

/// <summary>Sends one kind of outbox message (registered in DI; the job picks the handler by <see cref="Kind"/>).</summary>
public interface IOutboxHandler
{
    string Kind { get; }

    /// <summary>Sends it, or throws with a short message naming the receiver's answer (no tokens, no evidence).</summary>
    Task SendAsync(OutboxMessage message, CancellationToken cancellationToken);
}
