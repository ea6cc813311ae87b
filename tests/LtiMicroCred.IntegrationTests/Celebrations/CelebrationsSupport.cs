using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Hangfire;
using LtiMicroCred.Celebrations;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.IntegrationTests.Reviews;
using LtiMicroCred.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.IntegrationTests.Celebrations;

/// <summary>
/// The real host with a movable clock and email on: to a pickup folder of its own (removed with the host), or to a
/// <see cref="TestSmtpReceiver"/> on a dynamic port. The recurring digest and sweep are off, so only the tests run them.
/// </summary>
public abstract class CelebrationsHost : ToolHost, IAsyncLifetime
{
    public MovableClock Clock { get; } = new();

    public string PickupDirectory { get; } = Path.Combine(Path.GetTempPath(), "ltimc-mail-" + Guid.NewGuid().ToString("N"));

    public TestSmtpReceiver? Smtp { get; protected init; }

    protected override IDictionary<string, string?> Settings => Smtp is null
        ? new Dictionary<string, string?> { ["Email:PickupDirectory"] = PickupDirectory, ["Email:From"] = "microcredentials@district.example" }
        : new Dictionary<string, string?>
        {
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Smtp:Security"] = "None",
            ["Email:Smtp:User"] = TestSmtpReceiver.User,
            ["Email:Smtp:Password"] = TestSmtpReceiver.Password,
            ["Email:From"] = "microcredentials@district.example",
        };

    protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        Services.GetRequiredService<IBackgroundJobClient>();
        var recurring = Services.GetRequiredService<IRecurringJobManager>();
        recurring.RemoveIfExists(LeadersDigestJob.RecurringJobId);
        recurring.RemoveIfExists(OutboxSweepJob.RecurringJobId);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        Smtp?.Dispose();
        if (System.IO.Directory.Exists(PickupDirectory))
        {
            System.IO.Directory.Delete(PickupDirectory, recursive: true);
        }
    }

    /// <summary>The send job runs on the Hangfire server: poll the row (no sleeps) until it is done.</summary>
    public async Task<OutboxMessage> DoneAsync(Guid id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var message = await WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id));
            if (message.Status == OutboxStatus.Done)
            {
                return message;
            }

            Assert.True(message.Status != OutboxStatus.Dead && DateTime.UtcNow < deadline, $"The email is still {message.Status} after {message.Attempts} attempt(s): {message.LastError}");
            await Task.Yield();
        }
    }
}

public sealed class SqliteCelebrationsHost : CelebrationsHost
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Sqlite());
}

public sealed class PostgresCelebrationsHost : CelebrationsHost
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.PostgreSqlAsync();
}

public sealed class SqliteSmtpCelebrationsHost : CelebrationsHost
{
    public SqliteSmtpCelebrationsHost() => Smtp = new TestSmtpReceiver();

    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Sqlite());
}

public sealed class PostgresSmtpCelebrationsHost : CelebrationsHost
{
    public PostgresSmtpCelebrationsHost() => Smtp = new TestSmtpReceiver();

    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.PostgreSqlAsync();
}

/// <summary>One message as the receiver got it: the envelope and the raw DATA.</summary>
public sealed record ReceivedMail(string? AuthUser, string MailFrom, IReadOnlyList<string> Recipients, string Data);

/// <summary>
/// A small SMTP receiver (an outside mail server, so a test double) on a dynamic loopback port: EHLO, AUTH PLAIN and
/// LOGIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT; it records what it receives and can refuse the next RCPT with a code.
/// </summary>
public sealed class TestSmtpReceiver : IDisposable
{
    public const string User = "tool@district.example";
    public const string Password = "smtp-test-password-42";

    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();

    public TestSmtpReceiver()
    {
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    public int Port { get; }

    public ConcurrentQueue<ReceivedMail> Received { get; } = new();

    /// <summary>A reply the next RCPT TO gets instead of 250 (for example "550 5.1.1 Mailbox unavailable").</summary>
    public string? RefuseNextRecipient { get; set; }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        listener.Dispose();
        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.Latin1);
            using var writer = new StreamWriter(stream, Encoding.Latin1) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 receiver.test ESMTP");
            string? user = null;
            string from = string.Empty;
            var recipients = new List<string>();
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-receiver.test");
                        await writer.WriteLineAsync("250 AUTH PLAIN LOGIN");
                        break;
                    case "HELO":
                        await writer.WriteLineAsync("250 receiver.test");
                        break;
                    case "AUTH":
                        user = await AuthenticateAsync(line, reader, writer);
                        break;
                    case "MAIL":
                        (from, recipients) = (line[10..].Trim().Trim('<', '>'), []);
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "RCPT":
                        if (RefuseNextRecipient is { } refusal)
                        {
                            RefuseNextRecipient = null;
                            await writer.WriteLineAsync(refusal);
                            break;
                        }

                        recipients.Add(line[8..].Trim().Trim('<', '>'));
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(stop.Token) is { } dataLine && dataLine != ".")
                        {
                            data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        }

                        Received.Enqueue(new ReceivedMail(user, from, recipients, data.ToString()));
                        await writer.WriteLineAsync("250 OK queued");
                        break;
                    case "RSET":
                    case "NOOP":
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 Command not implemented");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or the receiver stopped.
        }
    }

    private static async Task<string?> AuthenticateAsync(string line, StreamReader reader, StreamWriter writer)
    {
        var parts = line.Split(' ');
        string? user = null, password = null;
        if (parts[1].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
        {
            var encoded = parts.Length > 2 ? parts[2] : await Ask(reader, writer, "334 ");
            var fields = Encoding.UTF8.GetString(Convert.FromBase64String(encoded!)).Split('\0');
            (user, password) = (fields[1], fields[2]);
        }
        else if (parts[1].Equals("LOGIN", StringComparison.OrdinalIgnoreCase))
        {
            user = Encoding.UTF8.GetString(Convert.FromBase64String((parts.Length > 2 ? parts[2] : await Ask(reader, writer, "334 VXNlcm5hbWU6"))!));
            password = Encoding.UTF8.GetString(Convert.FromBase64String((await Ask(reader, writer, "334 UGFzc3dvcmQ6"))!));
        }

        if (user == User && password == Password)
        {
            await writer.WriteLineAsync("235 2.7.0 Authentication successful");
            return user;
        }

        await writer.WriteLineAsync("535 5.7.8 Authentication credentials invalid");
        return null;
    }

    private static async Task<string?> Ask(StreamReader reader, StreamWriter writer, string prompt)
    {
        await writer.WriteLineAsync(prompt);
        return await reader.ReadLineAsync();
    }
}
