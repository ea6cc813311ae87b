using System.Buffers;
using System.Net;
using RestSharp;
using RestSharp.Interceptors;

namespace LtiMicroCred.Canvas.Files;

/// <summary>
/// Streams one download attempt's body straight into the sink while RestSharp still holds the response, instead of
/// letting RestSharp buffer the whole file in memory. Hooked into a single request as an interceptor (which may await)
/// plus a response writer that keeps RestSharp from reading the body a second time.
/// </summary>
internal sealed class DownloadAttempt(DownloadSink sink) : Interceptor
{
    private const int MaxErrorBodyChars = 4096;
    private string? _errorText;

    public static void Attach(RestRequest request, DownloadSink sink)
    {
        var attempt = new DownloadAttempt(sink);
        request.CompletionOption = HttpCompletionOption.ResponseHeadersRead;
        request.Interceptors = [attempt];
        request.AdvancedResponseWriter = attempt.Describe;
    }

    public override async ValueTask AfterHttpRequest(HttpResponseMessage responseMessage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(responseMessage);
        var status = (int)responseMessage.StatusCode;
        if (status is >= 300 and < 400)
        {
            return;
        }

        try
        {
            if (responseMessage.IsSuccessStatusCode)
            {
                await CopyBodyAsync(responseMessage, cancellationToken);
            }
            else
            {
                _errorText = await ReadErrorTextAsync(responseMessage, cancellationToken);
            }
        }
        catch
        {
            // RestSharp only disposes the response when the interceptor returns normally.
            responseMessage.Dispose();
            throw;
        }
    }

    private async Task CopyBodyAsync(HttpResponseMessage responseMessage, CancellationToken cancellationToken)
    {
        if (!sink.TryRestart())
        {
            throw new DownloadNotRestartableException();
        }

        if (responseMessage.Content.Headers.ContentLength is { } declared && declared > sink.LimitBytes)
        {
            throw new DownloadRefusedException(declared);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            await using var body = await responseMessage.Content.ReadAsStreamAsync(cancellationToken);
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (!await sink.TryWriteAsync(buffer.AsMemory(0, read), cancellationToken))
                {
                    throw new DownloadRefusedException(null);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<string?> ReadErrorTextAsync(HttpResponseMessage responseMessage, CancellationToken cancellationToken)
    {
        // Enough for Canvas's error JSON or the throttle line; an error page is not read to its end.
        await using var body = await responseMessage.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(body);
        var buffer = new char[MaxErrorBodyChars];
        var read = await reader.ReadBlockAsync(buffer, cancellationToken);
        return read == 0 ? null : new string(buffer, 0, read);
    }

    private RestResponse Describe(HttpResponseMessage responseMessage, RestRequest request)
    {
        var headers = responseMessage.Headers
            .SelectMany(h => h.Value.Select(v => new HeaderParameter(h.Key, v)))
            .ToList();
        return new RestResponse(request)
        {
            StatusCode = responseMessage.StatusCode,
            IsSuccessStatusCode = responseMessage.IsSuccessStatusCode,
            ResponseStatus = ResponseStatus.Completed,
            StatusDescription = responseMessage.ReasonPhrase,
            Headers = headers,
            ContentType = responseMessage.Content.Headers.ContentType?.MediaType,
            ContentLength = responseMessage.Content.Headers.ContentLength,
            Content = _errorText,
            ResponseUri = responseMessage.RequestMessage?.RequestUri,
        };
    }
}

/// <summary>Raised inside an attempt when the file is over the cap; the client turns it into the public exception.</summary>
internal sealed class DownloadRefusedException(long? declaredLength) : Exception("The file is larger than the download limit.")
{
    public long? DeclaredLength { get; } = declaredLength;
}

/// <summary>Raised when a retry would have to take bytes back out of a destination stream that cannot seek.</summary>
internal sealed class DownloadNotRestartableException() : Exception("The download broke off and its destination stream cannot start over.");

/// <summary>Helpers for redirect answers.</summary>
internal static class Redirects
{
    public static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
}
