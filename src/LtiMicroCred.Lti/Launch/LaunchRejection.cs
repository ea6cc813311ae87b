namespace LtiMicroCred.Lti.Launch;

/// <summary>Every reason the tool refuses a login initiation or a launch. Each has a plain-words explanation.</summary>
public enum LaunchRejectionReason
{
    // Login initiation
    MissingIssuer,
    MissingLoginHint,
    MissingTargetLinkUri,
    InvalidTargetLinkUri,
    UnknownPlatform,
    AmbiguousPlatform,
    UnknownDeployment,
    PlatformDisabled,

    // The launch post itself
    NotAFormPost,
    MissingIdToken,
    MissingState,
    TokenTooLarge,
    UnknownState,
    StateAlreadyUsed,
    StateExpired,
    StateNotBoundToBrowser,

    // The id_token
    MalformedToken,
    EncryptedToken,
    UnsupportedAlgorithm,
    MissingKeyId,
    UnknownKeyId,
    PlatformKeysUnavailable,
    InvalidSignature,
    WrongIssuer,
    MissingAudience,
    WrongAudience,
    MissingAuthorizedParty,
    WrongAuthorizedParty,
    MissingExpiry,
    Expired,
    MissingIssuedAt,
    IssuedInFuture,
    NotYetValid,
    MissingNonce,
    NonceMismatch,
    MissingMessageType,
    UnknownMessageType,
    MissingVersion,
    WrongVersion,
    MissingDeploymentId,
    MissingSubject,
    MissingRoles,
    MissingResourceLink,
    MissingTargetLinkUriClaim,
    TargetLinkUriMismatch,
    MissingDeepLinkingSettings,
    MalformedClaim,
}

/// <summary>Thrown when a login or launch is refused; carries the reason and the issuer for the log line.</summary>
public sealed class LaunchRejectedException : Exception
{
    public LaunchRejectedException(LaunchRejectionReason reason, string? issuer = null, string? detail = null)
        : base(LaunchRejectionMessages.Describe(reason) + (detail is null ? string.Empty : " " + detail))
    {
        Reason = reason;
        Issuer = issuer;
        Detail = detail;
    }

    public LaunchRejectionReason Reason { get; }

    public string? Issuer { get; }

    /// <summary>Which claim or parameter, never a token or a secret.</summary>
    public string? Detail { get; }
}

public static class LaunchRejectionMessages
{
    /// <summary>The sentence shown to the person and written to the log for a reason.</summary>
    public static string Describe(LaunchRejectionReason reason) => reason switch
    {
        LaunchRejectionReason.MissingIssuer => "The LMS did not say which platform it is (no 'iss' parameter).",
        LaunchRejectionReason.MissingLoginHint => "The LMS did not send a login hint ('login_hint').",
        LaunchRejectionReason.MissingTargetLinkUri => "The LMS did not say where to launch ('target_link_uri').",
        LaunchRejectionReason.InvalidTargetLinkUri => "The launch address ('target_link_uri') does not belong to this tool.",
        LaunchRejectionReason.UnknownPlatform => "This LMS is not registered with the tool. Ask your district administrator to register it.",
        LaunchRejectionReason.AmbiguousPlatform => "Several registrations share this issuer and the LMS did not send a client_id.",
        LaunchRejectionReason.PlatformDisabled => "This LMS registration is disabled in the tool. Ask your district administrator to enable it again under Platforms.",
        LaunchRejectionReason.UnknownDeployment => "This LMS deployment is not registered with the tool.",
        LaunchRejectionReason.NotAFormPost => "A launch must be a form post from the LMS.",
        LaunchRejectionReason.MissingIdToken => "The launch carried no id_token.",
        LaunchRejectionReason.MissingState => "The launch carried no state.",
        LaunchRejectionReason.TokenTooLarge => "The id_token is larger than the tool accepts.",
        LaunchRejectionReason.UnknownState => "The launch does not match any login started with this tool.",
        LaunchRejectionReason.StateAlreadyUsed => "This launch was already used. Launch the tool again from the LMS.",
        LaunchRejectionReason.StateExpired => "The launch took too long and expired. Launch the tool again from the LMS.",
        LaunchRejectionReason.StateNotBoundToBrowser => "The launch did not come from the browser that started it.",
        LaunchRejectionReason.MalformedToken => "The id_token is not a well-formed signed JWT.",
        LaunchRejectionReason.EncryptedToken => "Encrypted id_tokens are not supported.",
        LaunchRejectionReason.UnsupportedAlgorithm => "The id_token must be signed with RS256.",
        LaunchRejectionReason.MissingKeyId => "The id_token header has no key id ('kid').",
        LaunchRejectionReason.UnknownKeyId => "The id_token was signed with a key the platform does not publish.",
        LaunchRejectionReason.PlatformKeysUnavailable => "The platform's public keys could not be fetched.",
        LaunchRejectionReason.InvalidSignature => "The id_token signature is not valid.",
        LaunchRejectionReason.WrongIssuer => "The id_token was issued by a different platform than the one that started the login.",
        LaunchRejectionReason.MissingAudience => "The id_token has no audience ('aud').",
        LaunchRejectionReason.WrongAudience => "The id_token was issued for a different tool (audience does not match the client id).",
        LaunchRejectionReason.MissingAuthorizedParty => "The id_token names several audiences but no authorized party ('azp').",
        LaunchRejectionReason.WrongAuthorizedParty => "The id_token's authorized party ('azp') is not this tool.",
        LaunchRejectionReason.MissingExpiry => "The id_token has no expiry ('exp').",
        LaunchRejectionReason.Expired => "The id_token has expired.",
        LaunchRejectionReason.MissingIssuedAt => "The id_token has no issue time ('iat').",
        LaunchRejectionReason.IssuedInFuture => "The id_token claims to be issued in the future.",
        LaunchRejectionReason.NotYetValid => "The id_token is not valid yet ('nbf').",
        LaunchRejectionReason.MissingNonce => "The id_token has no nonce.",
        LaunchRejectionReason.NonceMismatch => "The id_token's nonce does not match the login.",
        LaunchRejectionReason.MissingMessageType => "The id_token has no LTI message type.",
        LaunchRejectionReason.UnknownMessageType => "The LTI message type is not one this tool handles.",
        LaunchRejectionReason.MissingVersion => "The id_token has no LTI version.",
        LaunchRejectionReason.WrongVersion => "The LTI version must be 1.3.0.",
        LaunchRejectionReason.MissingDeploymentId => "The id_token has no deployment id.",
        LaunchRejectionReason.MissingSubject => "The id_token does not identify the user ('sub').",
        LaunchRejectionReason.MissingRoles => "The id_token has no roles claim.",
        LaunchRejectionReason.MissingResourceLink => "The id_token has no resource link id.",
        LaunchRejectionReason.MissingTargetLinkUriClaim => "The id_token has no target link URI.",
        LaunchRejectionReason.TargetLinkUriMismatch => "The id_token's target link URI differs from the login's.",
        LaunchRejectionReason.MissingDeepLinkingSettings => "The deep linking request has no usable deep linking settings.",
        LaunchRejectionReason.MalformedClaim => "A claim in the id_token has the wrong shape.",
        _ => "The launch was refused.",
    };
}
