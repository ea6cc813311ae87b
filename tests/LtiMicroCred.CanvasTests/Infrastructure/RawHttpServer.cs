using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LtiMicroCred.CanvasTests.Infrastructure;

/// <summary>
/// A bare HTTP server for what WireMock cannot do: it resets the first connections it gets (after reading their
/// request), as a dropped connection looks to the client, then answers every later request with one canned body and a
/// Content-Length (WireMock always answers chunked).
/// </summary>
internal sealed class RawHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[] _body;
    private readonly string _contentType;
    private int _toReset;
    private int _connections;

    public RawHttpServer(int resetFirst, byte[] body, string contentType = "application/json; charset=utf-8")
    {
        _toReset = resetFirst;
        _body = body;
        _contentType = contentType;
        _listener.Start();
        _ = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public int Connections => Volatile.Read(ref _connections);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            var buffer = new byte[8192];
            var received = new StringBuilder();
            while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    return;
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            if (Interlocked.Decrement(ref _toReset) >= 0)
            {
                // Linger 0: close with a TCP reset, as a dropped load balancer connection looks to the client.
                socket.LingerState = new LingerOption(true, 0);
                return;
            }

            var head = $"HTTP/1.1 200 OK\r\nContent-Type: {_contentType}\r\nContent-Length: {_body.Length}\r\nConnection: close\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(head), SocketFlags.None);
            try
            {
                await socket.SendAsync(_body, SocketFlags.None);
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // The client hung up early on purpose (a refused download).
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
