//! API tokens: `dgt_<id>_<secret>`. The store keeps the ID, a name, the
//! scopes and the SHA-256 of the secret; the secret itself is shown once,
//! when the token is created, and compared in constant time.

use base64::Engine as _;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::store::{JobStore, TokenRecord, now_ms};

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Read jobs and their results.
    JobsRead,
    /// Submit and cancel jobs.
    JobsWrite,
    /// Everything.
    Admin,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::JobsRead, Scope::JobsWrite, Scope::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::JobsRead => "jobs:read",
            Scope::JobsWrite => "jobs:write",
            Scope::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|sc| sc.as_str() == s)
    }
}

/// The caller, once its token checked out.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub token_id: String,
    pub scopes: Vec<Scope>,
}

impl Caller {
    pub fn has(&self, scope: Scope) -> bool {
        self.scopes.contains(&Scope::Admin) || self.scopes.contains(&scope)
    }
}

/// Random bytes from the operating system.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    getrandom::getrandom(&mut buf).expect("the operating system provides random bytes");
    buf
}

fn hash_secret(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Creates a token; returns it (the only time its secret is seen) and its
/// record.
pub async fn create_token(
    store: &dyn JobStore,
    name: &str,
    scopes: &[Scope],
) -> crate::store::Result<(String, TokenRecord)> {
    let id: String = random_bytes::<6>().iter().map(|b| format!("{b:02x}")).collect();
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>());
    let record = TokenRecord {
        id: id.clone(),
        name: name.to_string(),
        scopes: scopes.iter().map(|s| s.as_str().to_string()).collect(),
        hash: hash_secret(&secret),
        created_at: now_ms(),
        revoked: false,
    };
    store.insert_token(&record).await?;
    Ok((format!("dgt_{id}_{secret}"), record))
}

/// Checks a bearer token; `None` when it is malformed, unknown, revoked or
/// wrong. Every failure looks the same to the caller.
pub(crate) async fn verify(
    store: &dyn JobStore,
    token: &str,
) -> crate::store::Result<Option<Caller>> {
    let Some((id, secret)) = token.strip_prefix("dgt_").and_then(|t| t.split_once('_')) else {
        return Ok(None);
    };
    let Some(record) = store.token(id).await? else {
        return Ok(None);
    };
    let given = hash_secret(secret);
    let matches: bool = given.as_bytes().ct_eq(record.hash.as_bytes()).into();
    if !matches || record.revoked {
        return Ok(None);
    }
    Ok(Some(Caller {
        token_id: record.id,
        scopes: record.scopes.iter().filter_map(|s| Scope::parse(s)).collect(),
    }))
}
