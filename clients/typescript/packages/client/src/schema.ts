// Generated from twofold's /api/v1/openapi.json by openapi-typescript: do not edit.
// Regenerate with `npm run generate`; a test fails when this file is stale.

export interface paths {
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The public keys that verify access tokens (Ed25519) and OpenID Connect tokens (RS256 or EdDSA). */
        get: operations["jwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/oauth-authorization-server": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** RFC 8414 authorization server metadata (the same document). */
        get: operations["authorization_server"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/openid-configuration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** OpenID Connect Discovery 1.0. */
        get: operations["discovery"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Audit events across users, newest first. */
        get: operations["admin_audit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/clients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The registered apps (OpenID Connect clients), oldest first. */
        get: operations["list_clients"];
        put?: never;
        /** Registers an app; a confidential one's `clientSecret` is in this answer only. */
        post: operations["add_client"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/clients/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One app. */
        get: operations["show_client"];
        put?: never;
        post?: never;
        /** Removes an app: every grant, code and token it holds ends. */
        delete: operations["remove_client"];
        options?: never;
        head?: never;
        /** Changes an app's settings. */
        patch: operations["change_client"];
        trace?: never;
    };
    "/api/v1/admin/clients/{id}/secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A new secret for a confidential app (in this answer only); the old one stops at once. */
        post: operations["rotate_secret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Users whose email starts with `email`, in email order, a page at a time. */
        get: operations["list_users"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One user, with its MFA status and live session count. */
        get: operations["show_user"];
        put?: never;
        post?: never;
        /** Deletes the user and everything of it but its audit trail. Never the last admin. */
        delete: operations["delete_user"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/users/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Disables the account (no login; every session revoked). Never the last admin. */
        post: operations["disable_user"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/users/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enables the account again. */
        post: operations["enable_user"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/users/{id}/mfa/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Break-glass: removes the user's authenticator, recovery codes and pending setup; revokes every session. */
        post: operations["reset_mfa"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/users/{id}/sessions/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revokes every live session of the user. */
        post: operations["revoke_sessions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/users/{id}/unlock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Clears every lock and failure counter of the user. */
        post: operations["unlock"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's own security events, newest first. */
        get: operations["list_audit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/email/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Follows a verification or address-change link: the address is proven (and, for a
         *     change, the account moves to it if it is still free).
         */
        post: operations["verify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/email/verify/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sends a new verification link to the caller's address; earlier ones stop working.
         *     At most one a minute and five a day.
         */
        post: operations["resend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Checks email and password: tokens, or an MFA challenge when MFA is on. */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revokes the caller's session and clears the access-token cookie. */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/passkey/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Logs in with a passkey alone (`amr: ["hwk","user","mfa"]`). */
        post: operations["passkey_login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/passkey/options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Starts a passwordless login with a discoverable passkey. */
        post: operations["passkey_options"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Changes the password (the current one is checked like a login) and revokes the other sessions. */
        post: operations["change_password"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password/forgot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Asks for a password reset link: always the same answer, whether or not an account
         *     uses the address; only an existing account gets a message (at most 3 an hour).
         */
        post: operations["forgot"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sets a new password with a reset link: every session and refresh token is revoked and
         *     every trusted browser ended. Nobody is signed in.
         */
        post: operations["reset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Exchanges a refresh token for new tokens (the old one is spent; reusing it revokes the session). */
        post: operations["refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Creates an account. */
        post: operations["register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/step-up": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Proves the session again (a code with MFA on, else the password): fresh tokens for the
         *     same session, whose `auth_time` is now.
         */
        post: operations["step_up"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/step-up/passkey/options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Request options for the caller's passkeys, to step up with (bound to the session). */
        post: operations["step_up_passkey_options"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/verify-mfa": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The second step of a login: the challenge token and a TOTP or recovery code, or a
         *     passkey assertion.
         */
        post: operations["verify_mfa"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/verify-mfa/passkey/options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Request options for the challenge's user's passkeys (the second factor). */
        post: operations["verify_mfa_passkey_options"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/authz/auth-request": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * nginx `auth_request`'s question (`X-Original-URL` and `X-Original-Method`, or the
         *     `X-Forwarded-*` set): 200, 401 (with the sign-in URL in `Location`), 403, 400.
         */
        get: operations["authz_auth_request"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/authz/forward-auth": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Traefik's, Caddy's and HAProxy's question (`X-Forwarded-Method`, `-Proto`, `-Host`,
         *     `-Uri`): 200 with `Remote-User`, `Remote-Email`, `Remote-Groups`, `Remote-Name`; 302/303
         *     to sign in (a browser navigation) or 401; 403; 400.
         */
        get: operations["authz_forward_auth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Ends the trust of one of the caller's browsers (its next login asks for MFA again).
         *     Needs a recent sign-in (step-up).
         */
        delete: operations["untrust_device"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers. */
        get: operations["healthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's account. */
        get: operations["me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Asks to move the account to a new address (needs a recent sign-in): a link goes to the
         *     new address; nothing changes until it is followed, and then the old address is told.
         */
        post: operations["change"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/notices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's notice settings. */
        get: operations["notices"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Switches the notice of sign-ins from new browsers on or off. */
        patch: operations["set_notices"];
        trace?: never;
    };
    "/api/v1/mfa/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Turns MFA off (needs a TOTP or recovery code). */
        post: operations["disable_mfa"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mfa/factors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's factors, oldest first. */
        get: operations["list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mfa/factors/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Deletes a factor (needs a step-up); deleting the last one turns MFA off. */
        delete: operations["delete"];
        options?: never;
        head?: never;
        /** Renames a factor (needs a recent proof: step-up). */
        patch: operations["rename"];
        trace?: never;
    };
    "/api/v1/mfa/factors/passkey/register/finish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Finishes a passkey registration. */
        post: operations["register_finish"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mfa/factors/passkey/register/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Starts registering a passkey (needs a recent proof: step-up). */
        post: operations["register_start"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mfa/factors/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Starts another TOTP authenticator (MFA must be on: `/mfa/setup` enrolls the first). */
        post: operations["add_totp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mfa/factors/totp/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirms a pending TOTP factor with a current code from it. */
        post: operations["confirm_totp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mfa/recovery-codes/regenerate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replaces the recovery codes (needs a current TOTP code). */
        post: operations["regenerate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mfa/setup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Starts (or restarts) TOTP enrollment: a pending secret, its URI and QR code. */
        post: operations["setup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mfa/setup/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirms enrollment with a current code: MFA is on, and the recovery codes are shown once. */
        post: operations["confirm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mfa/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's MFA state. */
        get: operations["status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/oauth2/grants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The apps the caller allowed to see their account ("Apps with access"). */
        get: operations["list_grants"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/oauth2/grants/{clientId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Removes an app's access: its sign-ins and refresh tokens end. */
        delete: operations["revoke_grant"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: the database answers (a real write is probed on SQLite). */
        get: operations["readyz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's live sessions, newest first. */
        get: operations["list_sessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revokes one of the caller's sessions. Another session than the caller's needs a recent
         *     sign-in (step-up); revoking the caller's own is a logout and never does.
         */
        delete: operations["revoke"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions/revoke-others": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revokes every session of the caller but this one. Needs a recent sign-in (step-up). */
        post: operations["revoke_others"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth2/introspect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** RFC 7662: whether a token of the calling client is live, and what it is. */
        post: operations["introspect_token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth2/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** RFC 7009: ends the sign-in the token belongs to; 200 whatever the token was. */
        post: operations["revoke_token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth2/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The token endpoint: `authorization_code` and `refresh_token` grants. */
        post: operations["token_endpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth2/userinfo": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Userinfo: the claims the access token's scopes allow. */
        get: operations["userinfo_get"];
        put?: never;
        /** Userinfo by POST. */
        post: operations["userinfo_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AuthBody: {
            accessToken: string;
            deviceToken?: string | null;
            /** Format: int64 */
            expiresIn: number;
            mfaRequired?: boolean | null;
            refreshToken: string;
            tokenType: string;
        };
        ChallengeBody: {
            mfaChallengeToken: string;
        };
        ChangeBody: {
            newEmail: string;
        };
        /** @description A registered app. */
        ClientBody: {
            backchannelLogoutUri?: string | null;
            clientId: string;
            /** @description Only in the answer that made it (registration, a new secret): shown once. */
            clientSecret?: string | null;
            createdAt: string;
            firstParty: boolean;
            /** @description `RS256` or `EdDSA`. */
            idTokenAlg: string;
            name: string;
            postLogoutRedirectUris: string[];
            public: boolean;
            redirectUris: string[];
            requireMfa: boolean;
            /** @description Space-separated. */
            scopes: string;
        };
        /**
         * @description What an admin registers, or changes (every field replaced; `public` is fixed at
         *     registration).
         */
        ClientRequest: {
            backchannelLogoutUri?: string | null;
            firstParty?: boolean;
            /** @description `RS256` (default) or `EdDSA`. */
            idTokenAlg?: string | null;
            name: string;
            postLogoutRedirectUris?: string[];
            public?: boolean;
            redirectUris: string[];
            requireMfa?: boolean;
            /** @description Space-separated; default `openid email profile groups offline_access`. */
            scopes?: string | null;
        };
        ClientsBody: {
            clients: components["schemas"]["ClientBody"][];
        };
        CodeBody: {
            code: string;
        };
        ConfirmBody: {
            code: string;
            deviceName?: string | null;
            secret?: string | null;
        };
        ConfirmTotpBody: {
            code: string;
            factorId: string;
        };
        Credentials: {
            email: string;
            password: string;
        };
        Empty: Record<string, never>;
        EmptyBody: Record<string, never>;
        /**
         * @description The body of every error: a stable snake_case `error` code, a message for people, the
         *     HTTP status, field problems of a 400, and `retryAfter` (seconds) of a 429 or 503.
         */
        Error: {
            details?: components["schemas"]["FieldError"][] | null;
            error: string;
            message: string;
            /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
            methods?: string[] | null;
            /** Format: int64 */
            retryAfter?: number | null;
            /** Format: int32 */
            status: number;
        };
        Event: {
            at: string;
            details: unknown;
            id: string;
            ip?: string | null;
            type: string;
            userAgent?: string | null;
            /** @description Only in the admin API's listing across users. */
            userId?: string | null;
        };
        Events: {
            events: components["schemas"]["Event"][];
        };
        /** @description A factor: a TOTP authenticator or a passkey. */
        FactorBody: {
            createdAt: string;
            id: string;
            lastUsedAt?: string | null;
            name?: string | null;
            /**
             * @description `totp` or `passkey`.
             * @example totp
             */
            type: string;
        };
        FactorCounts: {
            passkey: number;
            totp: number;
        };
        FactorsBody: {
            factors: components["schemas"]["FactorBody"][];
        };
        /** @description One field-level validation problem. */
        FieldError: {
            /** @description The JSON field name (camelCase, as the client sent it). */
            field: string;
            /** @description What is wrong with it. */
            message: string;
        };
        FinishBody: {
            /** @description RegistrationResponseJSON (`PublicKeyCredential.toJSON()` after `create()`). */
            credential: unknown;
            registrationId: string;
        };
        ForgotAnswer: {
            message: string;
        };
        ForgotBody: {
            email: string;
        };
        /** @description An app the caller allowed. */
        GrantBody: {
            clientId: string;
            clientName: string;
            createdAt: string;
            scopes: string[];
            updatedAt: string;
        };
        GrantsBody: {
            grants: components["schemas"]["GrantBody"][];
        };
        /** @description An introspection answer (RFC 7662). */
        Introspection: {
            active: boolean;
            client_id?: string | null;
            /** Format: int64 */
            exp?: number | null;
            scope?: string | null;
            sub?: string | null;
        };
        /**
         * @description An Ed25519 public key (RFC 8037: `kty` `OKP`, `crv`, `x`) or an RSA one (RFC 7518:
         *     `kty` `RSA`, `n`, `e`; OpenID Connect's RS256).
         */
        Jwk: {
            /** @description `EdDSA` or `RS256`. */
            alg: string;
            /** @description `Ed25519` (OKP keys). */
            crv?: string | null;
            /** @description The RSA exponent, base64url. */
            e?: string | null;
            kid: string;
            /** @description `OKP` or `RSA`. */
            kty: string;
            /** @description The RSA modulus, base64url. */
            n?: string | null;
            /** @description `sig`. */
            use: string;
            /** @description The Ed25519 public key, base64url. */
            x?: string | null;
        };
        /** @description A JSON Web Key Set (documentation only: `KeyRing::jwks` writes it). */
        Jwks: {
            keys: components["schemas"]["Jwk"][];
        };
        /** @description What `POST /auth/login` answers with (documentation only): tokens, or a challenge. */
        LoginAnswer: components["schemas"]["AuthBody"] | components["schemas"]["MfaRequiredBody"];
        LoginBody: {
            deviceToken?: string | null;
            email: string;
            password: string;
        };
        MeBody: {
            createdAt: string;
            email: string;
            /** @description Whether the address is proven (a verification or address-change link was followed). */
            emailVerified: boolean;
            id: string;
            mfaEnabled: boolean;
        };
        /** @description OpenID Provider metadata. */
        Metadata: {
            authorization_endpoint: string;
            issuer: string;
            jwks_uri: string;
            token_endpoint: string;
        };
        MfaRequiredBody: {
            /** Format: int64 */
            expiresIn: number;
            /**
             * @description Present when the user has a passkey: how they can answer (`totp`, `passkey`,
             *     `recovery`).
             */
            methods?: string[];
            mfaChallengeToken: string;
            mfaRequired: boolean;
        };
        NameBody: {
            /** @description At most 64 printable characters; blank means none. */
            name?: string | null;
        };
        /**
         * @description The security notices a person may switch off (only one: sign-ins from new browsers;
         *     the others always go).
         */
        NoticesBody: {
            newBrowser: boolean;
        };
        /** @description An OAuth error (RFC 6749 5.2). */
        OAuthErrorBody: {
            error: string;
            error_description: string;
        };
        PasskeyLoginBody: {
            /** @description AuthenticationResponseJSON. */
            passkey: unknown;
            passkeyChallengeToken: string;
        };
        PasskeyOptionsBody: {
            /**
             * @description PublicKeyCredentialRequestOptions in JSON form (WebAuthn Level 3
             *     `parseRequestOptionsFromJSON`).
             */
            publicKey: unknown;
        };
        PasswordBody: {
            currentPassword: string;
            deviceToken?: string | null;
            newPassword: string;
        };
        PasswordlessOptionsBody: {
            passkeyChallengeToken: string;
            /** @description PublicKeyCredentialRequestOptions in JSON form, for discoverable credentials. */
            publicKey: unknown;
        };
        PendingTotpBody: {
            /** Format: int64 */
            expiresIn: number;
            factorId: string;
            otpauthUri: string;
            qrCode: string;
            secret: string;
        };
        /** @description `{reason}`: why (required, 1 to 500 characters; kept in the audit trail). */
        ReasonBody: {
            reason: string;
        };
        RecoveryCodesResponse: {
            recoveryCodes: string[];
        };
        RefreshBody: {
            refreshToken: string;
        };
        RegisteredBody: components["schemas"]["FactorBody"] & {
            /** @description Only when this passkey turned MFA on: ten recovery codes, shown once. */
            recoveryCodes?: string[] | null;
        };
        RegistrationBody: {
            /**
             * @description PublicKeyCredentialCreationOptions in JSON form (WebAuthn Level 3
             *     `parseCreationOptionsFromJSON`).
             */
            publicKey: unknown;
            registrationId: string;
        };
        ResetBody: {
            newPassword: string;
            token: string;
        };
        RevokedBody: {
            /** Format: int64 */
            revoked: number;
        };
        SentBody: {
            /**
             * Format: int64
             * @description Seconds the new link works.
             */
            expiresIn: number;
        };
        SessionBody: {
            amr: string[];
            createdAt: string;
            current: boolean;
            id: string;
            ip?: string | null;
            lastUsedAt: string;
            userAgent?: string | null;
        };
        SessionsBody: {
            sessions: components["schemas"]["SessionBody"][];
            /** @description Browsers that skip the MFA step (`remember_device_days`). */
            trustedDevices: components["schemas"]["TrustedDeviceBody"][];
        };
        SetupBody: {
            deviceName?: string | null;
        };
        SetupResponse: {
            /** Format: int64 */
            expiresIn: number;
            otpauthUri: string;
            qrCode: string;
            secret: string;
        };
        StatusResponse: {
            deviceName?: string | null;
            enabled: boolean;
            enabledAt?: string | null;
            /** @description How many factors of each type. */
            factors: components["schemas"]["FactorCounts"];
            pendingSetup: boolean;
            recoveryCodesRemaining: number;
        };
        StepUpBody: {
            /** @description A code from the authenticator app or a recovery code (users with MFA). */
            code?: string | null;
            /** @description An AuthenticationResponseJSON answering `POST /auth/step-up/passkey/options`. */
            passkey?: unknown;
            /** @description The password (users without MFA). */
            password?: string | null;
        };
        TokenBody: {
            /** @description The `token` of the link's query. */
            token: string;
        };
        /** @description The token request's form (RFC 6749 4.1.3, 6). */
        TokenForm: {
            client_id?: string | null;
            client_secret?: string | null;
            code?: string | null;
            code_verifier?: string | null;
            grant_type?: string | null;
            redirect_uri?: string | null;
            refresh_token?: string | null;
            scope?: string | null;
        };
        /** @description A revocation or introspection request's form. */
        TokenQuery: {
            client_id?: string | null;
            client_secret?: string | null;
            token?: string | null;
            token_type_hint?: string | null;
        };
        TrustedDeviceBody: {
            createdAt: string;
            id: string;
            trustedUntil: string;
        };
        UserBody: {
            email: string;
            id: string;
        };
        UserDetailBody: components["schemas"]["UserBody"] & {
            mfa: components["schemas"]["StatusResponse"];
            /** Format: int64 */
            sessions: number;
        };
        /** @description The claims of userinfo. */
        UserInfo: {
            email?: string | null;
            email_verified?: boolean | null;
            groups?: string[] | null;
            name?: string | null;
            preferred_username?: string | null;
            sub: string;
        };
        UsersBody: {
            next?: string | null;
            users: components["schemas"]["UserBody"][];
        };
        VerifiedBody: {
            email: string;
            /** @description True when the link moved the account to a new address. */
            emailChanged: boolean;
            emailVerified: boolean;
        };
        VerifyMfaBody: {
            /** @description A TOTP or recovery code (or `passkey` instead). */
            code?: string | null;
            mfaChallengeToken: string;
            /** @description An AuthenticationResponseJSON answering `POST /auth/verify-mfa/passkey/options`. */
            passkey?: unknown;
            /** @description Trust this browser's device token for MFA (`remember_device_days` > 0). */
            rememberDevice?: boolean | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    jwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A JSON Web Key Set */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Jwks"];
                };
            };
        };
    };
    authorization_server: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Authorization server metadata */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Metadata"];
                };
            };
        };
    };
    discovery: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Provider metadata */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Metadata"];
                };
            };
        };
    };
    admin_audit: {
        parameters: {
            query?: {
                /** @description An event id: only older events */
                before?: string;
                /** @description 1 to 200, default 50 */
                limit?: number;
                /** @description Only events of this type */
                type?: string;
                /** @description Only this user's events */
                userId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Events"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    list_clients: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Clients */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientsBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    add_client: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ClientRequest"];
            };
        };
        responses: {
            /** @description Registered */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    show_client: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The client id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The client */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    remove_client: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The client id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    change_client: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The client id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ClientRequest"];
            };
        };
        responses: {
            /** @description The client */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    rotate_secret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The client id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The client with its new secret */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    list_users: {
        parameters: {
            query?: {
                /** @description The `next` cursor of the previous page */
                after?: string;
                /** @description Email prefix */
                email?: string;
                /** @description 1 to 200, default 50 */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of users */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsersBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    show_user: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserDetailBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    delete_user: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `last_admin`: the only admin not disabled */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    disable_user: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReasonBody"];
            };
        };
        responses: {
            /** @description Disabled */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `last_admin`: the only admin not disabled */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    enable_user: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReasonBody"];
            };
        };
        responses: {
            /** @description Enabled */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    reset_mfa: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReasonBody"];
            };
        };
        responses: {
            /** @description Reset */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    revoke_sessions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmptyBody"];
            };
        };
        responses: {
            /** @description How many were revoked */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RevokedBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    unlock: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmptyBody"];
            };
        };
        responses: {
            /** @description Unlocked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    list_audit: {
        parameters: {
            query?: {
                /** @description An event id: only older events */
                before?: string;
                /** @description 1 to 200, default 50 */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Events"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    verify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenBody"];
            };
        };
        responses: {
            /** @description The address is proven */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VerifiedBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `email_taken`: the new address was taken meanwhile */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    resend: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A new link is on its way */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SentBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `email_already_verified` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `rate_limited`, with `Retry-After` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginBody"];
            };
        };
        responses: {
            /** @description An `AuthResponse` (`mfaRequired: false`) or an MFA challenge */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginAnswer"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `invalid_credentials` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `account_disabled`, or `cross_site_request` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `too_many_attempts` or `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Logged out */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    passkey_login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasskeyLoginBody"];
            };
        };
        responses: {
            /** @description An `AuthResponse` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `invalid_credentials` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `account_disabled`, or `cross_site_request` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    passkey_options: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmptyBody"];
            };
        };
        responses: {
            /** @description The request options and the ceremony's token */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PasswordlessOptionsBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    change_password: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordBody"];
            };
        };
        responses: {
            /** @description Changed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized` or `invalid_credentials` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `cross_site_request` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `too_many_attempts` or `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    forgot: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ForgotBody"];
            };
        };
        responses: {
            /** @description The same answer for every address */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ForgotAnswer"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `rate_limited` (per-address bucket) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    reset: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResetBody"];
            };
        };
        responses: {
            /** @description The password is replaced; sign in with it */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    refresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshBody"];
            };
        };
        responses: {
            /** @description An `AuthResponse` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `invalid_token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `cross_site_request` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Credentials"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `email_taken` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `rate_limited` (per-address limit) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    step_up: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StepUpBody"];
            };
        };
        responses: {
            /** @description An `AuthResponse` for the same session */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`, `invalid_code` or `invalid_credentials` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `cross_site_request` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `too_many_attempts` or `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    step_up_passkey_options: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request options */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PasskeyOptionsBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    verify_mfa: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VerifyMfaBody"];
            };
        };
        responses: {
            /** @description An `AuthResponse` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `invalid_code` or `invalid_challenge` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `cross_site_request` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `too_many_attempts` or `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    verify_mfa_passkey_options: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChallengeBody"];
            };
        };
        responses: {
            /** @description The request options */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PasskeyOptionsBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `invalid_challenge` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `too_many_attempts` or `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    authz_auth_request: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Allowed: identity in the Remote-* headers (empty on a bypass) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The forwarded headers are missing or contradictory */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Sign in first: Location is the sign-in URL */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Denied */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    authz_forward_auth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Allowed: identity in the Remote-* headers (empty on a bypass) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Sign in first (a browser navigation, GET or HEAD) */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Sign in first (a browser navigation, other methods) */
            303: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The forwarded headers are missing or contradictory */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not signed in (Location says where), or not asked by a trusted proxy */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Denied */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    untrust_device: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The trusted device id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No longer trusted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    healthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description `{"status": "ok"}` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
        };
    };
    me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The account */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    change: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChangeBody"];
            };
        };
        responses: {
            /** @description A link is on its way to the new address */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SentBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `email_taken` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    notices: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The settings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NoticesBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    set_notices: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NoticesBody"];
            };
        };
        responses: {
            /** @description The settings now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NoticesBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    disable_mfa: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CodeBody"];
            };
        };
        responses: {
            /** @description MFA is off */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `too_many_attempts` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The factors */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FactorsBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The factor's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    rename: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The factor's id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NameBody"];
            };
        };
        responses: {
            /** @description The factor */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FactorBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    register_finish: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FinishBody"];
            };
        };
        responses: {
            /** @description The factor (and recovery codes when it turned MFA on) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegisteredBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `too_many_factors` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    register_start: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NameBody"];
            };
        };
        responses: {
            /** @description The creation options */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegistrationBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `too_many_factors` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `rate_limited` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    add_totp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NameBody"];
            };
        };
        responses: {
            /** @description The pending factor's secret */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PendingTotpBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `too_many_factors` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    confirm_totp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConfirmTotpBody"];
            };
        };
        responses: {
            /** @description The factor */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FactorBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `too_many_attempts` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    regenerate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CodeBody"];
            };
        };
        responses: {
            /** @description Ten new recovery codes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecoveryCodesResponse"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `too_many_attempts` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    setup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetupBody"];
            };
        };
        responses: {
            /** @description The pending secret */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SetupResponse"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `mfa_already_enabled` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    confirm: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConfirmBody"];
            };
        };
        responses: {
            /** @description Ten recovery codes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecoveryCodesResponse"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `mfa_already_enabled` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `too_many_attempts` */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    status: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The MFA state */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatusResponse"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    list_grants: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Grants */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GrantsBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    revoke_grant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The client id */
                clientId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    readyz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description `{"status": "ready", "database"}` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description `service_unavailable` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    list_sessions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Sessions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionsBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    revoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    revoke_others: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Empty"];
            };
        };
        responses: {
            /** @description How many were revoked */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RevokedBody"];
                };
            };
            /** @description `invalid_input`: a body that is not the JSON object asked for, a bad field or query. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `unauthorized`: the access token is missing, invalid, expired or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /**
             * @description `cross_site_request` (a cookie-authenticated request from another site), or
             *     `admin_required` on the admin endpoints.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `payload_too_large`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
            /** @description `service_unavailable`, `timeout` or `overloaded` (with `Retry-After`); nothing was done. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        details?: components["schemas"]["FieldError"][] | null;
                        error: string;
                        message: string;
                        /** @description How to step up (`step_up_required`): `totp`, `recovery`, `password`. */
                        methods?: string[] | null;
                        /** Format: int64 */
                        retryAfter?: number | null;
                        /** Format: int32 */
                        status: number;
                    };
                };
            };
        };
    };
    introspect_token: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TokenQuery"];
            };
        };
        responses: {
            /** @description The token's state */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Introspection"];
                };
            };
            /** @description An OAuth error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthErrorBody"];
                };
            };
            /** @description invalid_client */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthErrorBody"];
                };
            };
            /** @description Too many failed client authentications */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthErrorBody"];
                };
            };
            /** @description Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthErrorBody"];
                };
            };
        };
    };
    revoke_token: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TokenQuery"];
            };
        };
        responses: {
            /** @description Revoked (or nothing to revoke) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An OAuth error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthErrorBody"];
                };
            };
            /** @description invalid_client */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthErrorBody"];
                };
            };
            /** @description Too many failed client authentications */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthErrorBody"];
                };
            };
            /** @description Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthErrorBody"];
                };
            };
        };
    };
    token_endpoint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TokenForm"];
            };
        };
        responses: {
            /** @description Tokens */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenBody"];
                };
            };
            /** @description An OAuth error */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthErrorBody"];
                };
            };
            /** @description invalid_client */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthErrorBody"];
                };
            };
            /** @description Too many failed client authentications */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthErrorBody"];
                };
            };
            /** @description Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthErrorBody"];
                };
            };
        };
    };
    userinfo_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Claims */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserInfo"];
                };
            };
            /** @description invalid_token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthErrorBody"];
                };
            };
            /** @description Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthErrorBody"];
                };
            };
        };
    };
    userinfo_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Claims */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserInfo"];
                };
            };
            /** @description invalid_token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthErrorBody"];
                };
            };
            /** @description Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthErrorBody"];
                };
            };
        };
    };
}
