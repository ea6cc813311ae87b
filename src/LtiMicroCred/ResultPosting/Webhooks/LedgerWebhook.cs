using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using LtiMicroCred.Ledger;
using LtiMicroCred.Outbox;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.ResultPosting.Webhooks;

/// <summary>The outbox payload of a ledger webhook: the entry's id only; the handler reads the rest when it sends.</summary>
public sealed record LedgerWebhookPayload(Guid EntryId);

/// <summary>
/// Adds a "ledger.webhook" outbox message for each new ledger entry to the caller's unit of work, when the district's
/// webhook is on. Nothing is saved here: the message is saved with the entry or not at all.
/// </summary>
public sealed class LedgerWebhook(AppDbContext db, LtiMicroCred.Outbox.Outbox outbox)
{
    public const string Kind = "ledger.webhook";

    public async Task EnqueueAsync(Guid tenantId, IEnumerable<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        if (!await db.WebhookSettings.AsNoTracking().AnyAsync(s => s.TenantId == tenantId && s.Enabled, cancellationToken))
        {
            return;
        }

        foreach (var entry in entries)
        {
            outbox.Enqueue(tenantId, Kind, new LedgerWebhookPayload(entry.Id));
        }
    }
}

/// <summary>What the PD system receives (docs/ledger-webhook.md).</summary>
public sealed record LedgerWebhookBody(
    Guid EventId,
    string Type,
    DateTimeOffset OccurredAt,
    Guid Tenant,
    LedgerWebhookTeacher Teacher,
    LedgerWebhookCredential Credential,
    LedgerWebhookEntry Entry);

public sealed record LedgerWebhookTeacher(Guid Id, string Name, string? Email, string LtiSubject);

public sealed record LedgerWebhookCredential(Guid Id, string Key, string Title);

public sealed record LedgerWebhookEntry(Guid Id, string EntryType, string Kind, decimal Amount, decimal? CpdUnits, Guid? ReversesEntryId, Guid AttemptId, string? Reason);

/// <summary>
/// Sends a "ledger.webhook" message: POSTs the entry as JSON to the district's webhook, signed with HMAC-SHA256 of the
/// raw body, with the outbox message's event id so the receiver can drop a repeat. A non-2xx answer, a timeout or a
/// webhook that is off throws: the outbox tries again with backoff and, in the end, keeps a dead letter.
/// </summary>
public sealed class LedgerWebhookHandler(AppDbContext db, WebhookSecrets secrets, IHttpClientFactory clients) : IOutboxHandler
{
    public const string HttpClientName = "LedgerWebhook";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public string Kind => LedgerWebhook.Kind;

    public async Task SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var payload = message.PayloadAs<LedgerWebhookPayload>();
        var settings = await db.WebhookSettings.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == message.TenantId, cancellationToken);
        if (settings is not { Enabled: true })
        {
            throw new InvalidOperationException("The PD-system webhook is turned off: turn it on, then send this message again.");
        }

        var secret = secrets.Unprotect(settings.SecretCiphertext)
            ?? throw new InvalidOperationException("The webhook's signing secret can no longer be read: enter it again on the webhook page, then send this message again.");
        var body = await BodyAsync(message, payload.EntryId, cancellationToken);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, Json);

        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(bytes, secret));
        request.Headers.Add(WebhookSignature.EventIdHeader, message.EventId.ToString());
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException("The PD system did not answer in time.");
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"The PD system could not be reached ({e.HttpRequestError}).");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"The PD system answered {((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)} {response.ReasonPhrase}.");
            }
        }
    }

    private async Task<LedgerWebhookBody> BodyAsync(OutboxMessage message, Guid entryId, CancellationToken cancellationToken)
    {
        var entry = await db.LedgerEntries.AsNoTracking().SingleOrDefaultAsync(e => e.Id == entryId && e.TenantId == message.TenantId, cancellationToken)
            ?? throw new InvalidOperationException("The ledger entry of this message no longer exists.");
        var teacher = await db.People.AsNoTracking().Where(p => p.Id == entry.TeacherId)
            .Select(p => new LedgerWebhookTeacher(p.Id, p.Name, p.Email, p.Subject)).SingleAsync(cancellationToken);
        var credential = await db.Credentials.AsNoTracking().Where(c => c.Id == entry.CredentialId)
            .Select(c => new LedgerWebhookCredential(c.Id, c.Key, c.Title)).SingleAsync(cancellationToken);
        return new LedgerWebhookBody(
            message.EventId,
            "ledger.entry",
            entry.ApprovedAt,
            message.TenantId,
            teacher,
            credential,
            new LedgerWebhookEntry(entry.Id, Snake(entry.EntryType.ToString()), Snake(entry.Kind.ToString()), entry.Amount, entry.CpdUnits, entry.ReversesEntryId, entry.AttemptId, entry.Reason));
    }

    private static string Snake(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
