namespace LtiMicroCred.Lti.Login;

/// <summary>
/// What the tool remembers between login initiation and the id_token post. It is also the nonce record:
/// one state carries one nonce and can be used once, on any node, because it lives in shared storage.
/// </summary>
public sealed record LaunchState(
    string State,
    string Nonce,
    Guid PlatformId,
    string TargetLinkUri,
    string BrowserBindingHash,
    string? StorageTarget,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt);

public enum LaunchStateTakeOutcome
{
    Taken,
    NotFound,
    NotBoundToBrowser,
    AlreadyUsed,
    Expired,
}

/// <summary>What taking a state found: the stored state whenever there is one (so a refusal can name its platform), and whether it was taken.</summary>
public sealed record LaunchStateTake(LaunchStateTakeOutcome Outcome, LaunchState? State);

/// <summary>Shared storage of launch states, so a login begun on one node can finish on another.</summary>
public interface ILaunchStateStore
{
    Task SaveAsync(LaunchState state, CancellationToken cancellationToken);

    /// <summary>Reads a state without using it up.</summary>
    Task<LaunchState?> FindAsync(string state, CancellationToken cancellationToken);

    /// <summary>
    /// Uses the state up if it is bound to the browser whose binding secret hashes to <paramref name="browserBindingHash"/>,
    /// unused and unexpired, atomically across nodes: only the first caller gets <see cref="LaunchStateTakeOutcome.Taken"/>.
    /// A state presented by another browser stays usable by its own. Every launch calls this, so a store should answer
    /// the taken case in one round trip.
    /// </summary>
    Task<LaunchStateTake> TakeAsync(string state, string browserBindingHash, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes states that expired before the given time; returns how many.</summary>
    Task<int> PurgeExpiredAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
