use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::Argon2;
use md5::{Digest, Md5};
use sha1::Sha1;

fn weak(password: &str, req: &LoginRequest) {
    // ruleid: rust-weak-hash-password
    let a = md5::compute(password.as_bytes());
    // ruleid: rust-weak-hash-password
    let b = Md5::digest(req.new_password.as_bytes());
    // ruleid: rust-weak-hash-password
    let c = Sha1::digest(user_pwd);
    let _ = (a, b, c);
}

fn fine(password: &str, salt: &SaltString, body: &[u8]) {
    // ok: rust-weak-hash-password
    let a = Argon2::default().hash_password(password.as_bytes(), salt);
    // ok: rust-weak-hash-password
    let b = md5::compute(body);
    // ok: rust-weak-hash-password
    let c = Sha1::digest(body);
    let _ = (a, b, c);
}

struct LoginRequest {
    new_password: String,
}
