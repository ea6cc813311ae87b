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

    /// <summary>The payload as <see cref="Outbox.Enqueue"/> wrote it (JSON, web defaults).</summary>
    public T PayloadAs<T>() where T : class =>
        System.Text.Json.JsonSerializer.Deserialize<T>(Payload, System.Text.Json.JsonSerializerOptions.Web)
        ?? throw new InvalidOperationException($"The {Kind} message has no payload.");

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

    /// <summary>
    /// Not stored: set by the claim when an earlier claim ended without an outcome (its worker crashed or was stopped
    /// mid-send), so the receiver may have it already. A handler that can ask its receiver (AGS: the user's result on
    /// the line item) checks first and skips a send that already arrived; the others send again (the EventId lets the
    /// receiver drop the repeat).
    /// </summary>
    public bool MayHaveBeenSent { get; set; }
}

/// <summary>The "Outbox" section.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>After this many failed sends a message is a dead letter, waiting for a district admin to retry it.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>
    /// How long a worker may hold a message while sending it. At least <see cref="SendTimeoutSeconds"/> plus
    /// <see cref="LeaseMarginSeconds"/>: the outbox cancels a send at its timeout, so the worker holding the lease always
    /// writes the outcome before another worker may take the message over. After a crash, a message waits this long.
    /// </summary>
    public int LeaseSeconds { get; set; } = 300;

    /// <summary>
    /// The longest one send may take (the handler's own calls, their retries and throttling pauses included): then it is
    /// cancelled and counted as a failed attempt.
    /// </summary>
    public int SendTimeoutSeconds { get; set; } = 240;

    /// <summary>
    /// Background drain loops in this process (on a node that runs jobs; 0: off, the per-message jobs alone send). Each
    /// claims up to <see cref="DrainBatchSize"/> due messages at once and sends them concurrently.
    /// </summary>
    public int DrainWorkers { get; set; }

    /// <summary>Messages one drain loop claims at once (one statement; SKIP LOCKED on PostgreSQL and SQL Server).</summary>
    public int DrainBatchSize { get; set; } = 64;

    /// <summary>Sends in flight per drain loop.</summary>
    public int DrainConcurrency { get; set; } = 16;

    /// <summary>How long an idle drain loop waits before it looks for due messages again.</summary>
    public int DrainIdleMilliseconds { get; set; } = 1000;

    /// <summary>
    /// Sends in flight to one destination (a kind of message of one district: its LMS for grades, its webhook receiver),
    /// across every worker and drain loop of this process (per node: nodes do not share the count). LMS calls are held
    /// to Lti:ServiceConcurrencyPerPlatform per node as well.
    /// </summary>
    public int ConcurrencyPerDestination { get; set; } = 16;

    public const int LeaseMarginSeconds = 5;
}

/// <summary>Sends one kind of outbox message (registered with <see cref="OutboxServiceCollectionExtensions.AddOutboxHandler{THandler}"/> under its <see cref="Kind"/>).</summary>
public interface IOutboxHandler
{
    string Kind { get; }

    /// <summary>Sends it, or throws with a short message naming the receiver's answer (no tokens, no evidence).</summary>
    Task SendAsync(OutboxMessage message, CancellationToken cancellationToken);
}
