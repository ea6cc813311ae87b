using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.Benchmarks;

/// <summary>
/// The reference for the launch figures: how many RS256 signatures this machine verifies per second, through the
/// same JsonWebTokenHandler the tool uses and as the bare RSA operation, single-threaded and on every core.
/// Signing is shown too, because the sandbox LMS signs one id_token per launch in the tool's own process.
/// </summary>
internal sealed record Rs256Row(string Operation, double SingleThread, double AllCores, double? SingleThreadOtherLoad, double? AllCoresOtherLoad);

internal static class Rs256Reference
{
    private const string Issuer = "https://platform.example.edu";
    private const string Audience = "bench-client";

    private static readonly string[] Roles =
    [
        "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
        "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty",
    ];

    public static string Run(TimeSpan duration, double? backgroundLoad)
    {
        using var rsa = RSA.Create(2048);
        var privateParameters = rsa.ExportParameters(includePrivateParameters: true);
        var publicParameters = rsa.ExportParameters(includePrivateParameters: false);

        // An id_token about the size of an LTI launch's.
        var now = DateTime.UtcNow;
        var handler = new JsonWebTokenHandler { MapInboundClaims = false };
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "teacher-ada",
                ["nonce"] = Guid.NewGuid().ToString("N"),
                ["name"] = "Ada Lovelace",
                ["email"] = "ada@sandbox-usd.example",
                ["https://purl.imsglobal.org/spec/lti/claim/message_type"] = "LtiResourceLinkRequest",
                ["https://purl.imsglobal.org/spec/lti/claim/version"] = "1.3.0",
                ["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] = "sandbox-deployment-1",
                ["https://purl.imsglobal.org/spec/lti/claim/target_link_uri"] = "http://127.0.0.1:5000/lti/launch",
                ["https://purl.imsglobal.org/spec/lti/claim/roles"] = Roles,
            },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(privateParameters) { KeyId = "bench" }, SecurityAlgorithms.RsaSha256),
        });

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = new RsaSecurityKey(publicParameters) { KeyId = "bench" },
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
        };
        var check = handler.ValidateTokenAsync(token, parameters).GetAwaiter().GetResult();
        if (!check.IsValid)
        {
            throw new InvalidOperationException("The reference token does not validate: " + check.Exception?.Message);
        }

        var parts = token.Split('.');
        var signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        var signature = Base64UrlEncoder.DecodeBytes(parts[2]);

        var keys = new System.Collections.Concurrent.ConcurrentBag<RSA>();
        RSA PerThread(RSAParameters p)
        {
            var key = RSA.Create(p); // one key object per thread: RSA instances are not documented as thread-safe
            keys.Add(key);
            return key;
        }

        var rows = new List<Rs256Row>
        {
            Measure(
                "RS256 JWT validation (JsonWebTokenHandler.ValidateTokenAsync: signature, issuer, audience, lifetime), as the tool does it",
                duration,
                () => () =>
                {
                    if (!handler.ValidateTokenAsync(token, parameters).GetAwaiter().GetResult().IsValid)
                    {
                        throw new InvalidOperationException("validation failed");
                    }
                }),
            Measure(
                "Bare RSA-2048 PKCS#1 v1.5 SHA-256 verify (RSA.VerifyData)",
                duration,
                () =>
                {
                    var key = PerThread(publicParameters);
                    return () =>
                    {
                        if (!key.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
                        {
                            throw new InvalidOperationException("verification failed");
                        }
                    };
                }),
            Measure(
                "RSA-2048 RS256 sign (RSA.SignData), the sandbox LMS's cost per launch",
                duration,
                () =>
                {
                    var key = PerThread(privateParameters);
                    return () => key.SignData(signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                }),
        };
        foreach (var key in keys)
        {
            key.Dispose();
        }

        return Report.Rs256(rows, duration, backgroundLoad);
    }

    /// <summary>Operations per second on one thread, then on one thread per logical core at once.</summary>
    /// <param name="perThread">Makes the operation for one thread (so per-thread state stays on its thread).</param>
    private static Rs256Row Measure(string name, TimeSpan duration, Func<Action> perThread)
    {
        Console.Error.WriteLine("bench: " + name);
        var (single, singleOther) = Run(1, duration, perThread);
        var (all, allOther) = Run(Environment.ProcessorCount, duration, perThread);
        return new Rs256Row(name, single, all, singleOther, allOther);
    }

    /// <returns>Operations per second, and the share of the machine that other processes used meanwhile (null if unknown).</returns>
    private static (double Rate, double? Other) Run(int threads, TimeSpan duration, Func<Action> perThread)
    {
        var counts = new long[threads];
        using var ready = new CountdownEvent(threads);
        using var go = new ManualResetEventSlim();
        var stopAt = 0L;
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var operation = perThread();
            // Warm up (JIT, provider caches) before the clock starts.
            for (var i = 0; i < 50; i++)
            {
                operation();
            }

            ready.Signal();
            go.Wait();
            var n = 0L;
            var deadline = Volatile.Read(ref stopAt);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                operation();
                n++;
            }

            counts[t] = n;
        }) { IsBackground = true, Name = "rs256-" + t }).ToList();

        workers.ForEach(w => w.Start());
        ready.Wait();
        var cpuBefore = CpuSnapshot.Take(null);
        var started = Stopwatch.GetTimestamp();
        Volatile.Write(ref stopAt, started + (long)(duration.TotalSeconds * Stopwatch.Frequency));
        go.Set();
        workers.ForEach(w => w.Join());
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = cpuBefore.Until(CpuSnapshot.Take(null), elapsed);
        double? other = cpu is null ? null : cpu.Other / (elapsed * Environment.ProcessorCount);
        return (counts.Sum() / elapsed.TotalSeconds, other);
    }
}
