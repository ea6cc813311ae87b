namespace LtiMicroCred;

/// <summary>
/// A use case refused: the page shows <see cref="Exception.Message"/> as it is, so it must be a sentence for the
/// person who acted, with no ids, tokens or evidence content in it.
/// </summary>
public abstract class UseCaseException(string message) : Exception(message);

/// <summary>The thing does not exist, or exists in another tenant or out of the person's reach (never say which).</summary>
public sealed class NotFoundException(string message) : UseCaseException(message);

/// <summary>The person is known but may not do this.</summary>
public sealed class ForbiddenException(string message) : UseCaseException(message);

/// <summary>A rule of the programme refuses it now: an illegal transition, a closed window, an exhausted budget.</summary>
public sealed class RuleViolationException(string message) : UseCaseException(message);

/// <summary>The input is not acceptable; <see cref="Errors"/> says which field and why.</summary>
public sealed class InvalidInputException(IReadOnlyDictionary<string, string> errors)
    : UseCaseException(string.Join(" ", errors.Values))
{
    public IReadOnlyDictionary<string, string> Errors { get; } = errors;

    public static InvalidInputException For(string field, string message) => new(new Dictionary<string, string> { [field] = message });
}
