using System.Globalization;
using System.Net;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace LtiMicroCred.Celebrations;

/// <summary>The "Email" section: SMTP when <see cref="SmtpOptions.Host"/> is set, else a pickup folder, else no email.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    /// <summary>The sender address every message carries.</summary>
    public string From { get; set; } = "microcredentials@localhost";

    public string FromName { get; set; } = "Microcredentials";

    /// <summary>A folder where each message is written as an .eml file (development, or a relay that watches it).</summary>
    public string? PickupDirectory { get; set; }

    public SmtpOptions Smtp { get; set; } = new();

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Smtp.Host);

    /// <summary>Whether notifications are also sent by email at all.</summary>
    public bool Enabled => UsesSmtp || !string.IsNullOrWhiteSpace(PickupDirectory);
}

/// <summary>The "Email:Smtp" section. The password is read from configuration (a secret store) and never logged.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>StartTls (default), SslOnConnect, Auto, or None (a relay on the same host only).</summary>
    public string Security { get; set; } = "StartTls";

    public string? User { get; set; }

    public string? Password { get; set; }

    public int TimeoutSeconds { get; set; } = 30;

    public SecureSocketOptions SocketOptions => Security.ToUpperInvariant() switch
    {
        "NONE" => SecureSocketOptions.None,
        "SSLONCONNECT" => SecureSocketOptions.SslOnConnect,
        "AUTO" => SecureSocketOptions.Auto,
        _ => SecureSocketOptions.StartTls,
    };

    public static bool IsKnownSecurity(string? value) =>
        value?.ToUpperInvariant() is "NONE" or "SSLONCONNECT" or "AUTO" or "STARTTLS";
}

/// <summary>
/// One email, ready to send. <see cref="MessageId"/> is derived from the outbox event id, so a repeated send carries the
/// same Message-Id (the pickup folder overwrites its file; a mail system can drop the duplicate).
/// </summary>
public sealed record EmailMessage(string MessageId, string ToAddress, string ToName, string Subject, string Text, string Html);

/// <summary>Sends one email or throws with a short sentence (no addresses, no credentials).</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

/// <summary>Builds the MIME message both senders send: plain text with a simple HTML alternative.</summary>
public static class EmailMime
{
    public static MimeMessage Build(EmailMessage message, EmailOptions options, DateTimeOffset date)
    {
        var mime = new MimeMessage
        {
            MessageId = message.MessageId,
            Subject = message.Subject,
            Date = date,
        };
        mime.From.Add(new MailboxAddress(options.FromName, options.From));
        mime.To.Add(new MailboxAddress(message.ToName, message.ToAddress));
        mime.Body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html }.ToMessageBody();
        return mime;
    }

    /// <summary>The HTML alternative of a plain-text body: every character encoded, paragraphs kept.</summary>
    public static string Html(string title, string text, string footer)
    {
        var html = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(title)).Append("</title></head><body><h1>").Append(WebUtility.HtmlEncode(title)).Append("</h1>");
        foreach (var paragraph in text.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            html.Append("<p>").Append(string.Join("<br>", paragraph.Split('\n').Select(WebUtility.HtmlEncode))).Append("</p>");
        }

        return html.Append("<p><small>").Append(WebUtility.HtmlEncode(footer)).Append("</small></p></body></html>").ToString();
    }
}

/// <summary>Writes each message as <c>&lt;message id&gt;.eml</c> in the pickup folder; a repeat replaces the same file.</summary>
public sealed class PickupDirectoryEmailSender(IOptions<EmailOptions> options, TimeProvider time) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(options.Value.PickupDirectory!);
        Directory.CreateDirectory(folder);
        var name = new string(message.MessageId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_').ToArray()) + ".eml";
        var target = Path.Combine(folder, name);
        var temporary = Path.Combine(folder, "." + Guid.NewGuid().ToString("N") + ".tmp");
        using (var mime = EmailMime.Build(message, options.Value, time.GetUtcNow()))
        {
            await mime.WriteToAsync(temporary, cancellationToken);
        }

        // Whole files only: a reader of the folder never sees half a message.
        File.Move(temporary, target, overwrite: true);
    }
}

/// <summary>Sends through the configured SMTP server with MailKit: TLS as configured, authenticated when a user is set.</summary>
public sealed class SmtpEmailSender(IOptions<EmailOptions> options, TimeProvider time) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        using var mime = EmailMime.Build(message, options.Value, time.GetUtcNow());
        using var client = new SmtpClient { Timeout = smtp.TimeoutSeconds * 1000 };
        try
        {
            await client.ConnectAsync(smtp.Host!, smtp.Port, smtp.SocketOptions, cancellationToken);
            if (!string.IsNullOrEmpty(smtp.User))
            {
                await client.AuthenticateAsync(smtp.User, smtp.Password ?? string.Empty, cancellationToken);
            }

            await client.SendAsync(mime, cancellationToken);
            await client.DisconnectAsync(true, cancellationToken);
        }
        catch (AuthenticationException)
        {
            throw new InvalidOperationException("The mail server refused the tool's sign-in: check Email:Smtp:User and the password.");
        }
        catch (SmtpCommandException e)
        {
            throw new InvalidOperationException($"The mail server answered {((int)e.StatusCode).ToString(CultureInfo.InvariantCulture)} ({e.ErrorCode}).");
        }
        catch (Exception e) when (e is SmtpProtocolException or IOException or System.Net.Sockets.SocketException or SslHandshakeException or TimeoutException)
        {
            throw new InvalidOperationException($"The mail server could not be reached ({e.GetType().Name}).");
        }
    }
}
