using System.Security.Cryptography;

namespace LtiMicroCred.Canvas.Files;

/// <summary>
/// Where the body of one download goes: counts bytes against the cap and hashes them on the way through. A retried
/// attempt starts over, which needs a seekable target once bytes have been written.
/// </summary>
internal sealed class DownloadSink : IDisposable
{
    private readonly Stream _target;
    private readonly long _start;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public DownloadSink(Stream target, long limitBytes)
    {
        if (!target.CanWrite)
        {
            throw new ArgumentException("The download destination must be writable.", nameof(target));
        }

        _target = target;
        _start = target.CanSeek ? target.Position : 0;
        LimitBytes = limitBytes;
    }

    public long LimitBytes { get; }

    public long Written { get; private set; }

    /// <summary>Forgets a previous attempt's bytes; false when they cannot be taken back out of the target.</summary>
    public bool TryRestart()
    {
        if (Written > 0)
        {
            if (!_target.CanSeek)
            {
                return false;
            }

            _target.SetLength(_start);
            _target.Position = _start;
        }

        Written = 0;
        _hash.GetHashAndReset();
        return true;
    }

    /// <summary>Writes one chunk; false (and nothing written) when it would take the total past the cap.</summary>
    public async ValueTask<bool> TryWriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        if (Written + chunk.Length > LimitBytes)
        {
            return false;
        }

        _hash.AppendData(chunk.Span);
        await _target.WriteAsync(chunk, cancellationToken);
        Written += chunk.Length;
        return true;
    }

    /// <summary>Takes a failed download's bytes back out of a seekable target, so no half file remains in it.</summary>
    public void Discard()
    {
        if (_target.CanSeek)
        {
            _target.SetLength(_start);
            _target.Position = _start;
        }
    }

    public string Sha256Hex() => Convert.ToHexStringLower(_hash.GetCurrentHash());

    public void Dispose() => _hash.Dispose();
}
