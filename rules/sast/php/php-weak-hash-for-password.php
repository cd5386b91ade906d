<?php

function register(PDO $db, string $email, string $password)
{
    // ruleid: php-weak-hash-for-password
    $hash = md5($password);
    // ok: php-weak-hash-for-password
    $hash = password_hash($password, PASSWORD_DEFAULT);
    $db->prepare('INSERT INTO users (email, pw) VALUES (?, ?)')->execute([$email, $hash]);
}

function login($user)
{
    // ruleid: php-weak-hash-for-password
    $ok = sha1($_POST['password']) === $user->pw_hash;
    // ok: php-weak-hash-for-password
    $ok2 = password_verify($_POST['password'], $user->pw_hash);
    // ruleid: php-weak-hash-for-password
    $legacy = hash('md5', $user->password);
    // ok: php-weak-hash-for-password
    $etag = md5(file_get_contents('report.pdf'));
    // ok: php-weak-hash-for-password
    $cacheKey = sha1($_GET['query']);
    return $ok || $ok2 || $legacy || $etag || $cacheKey;
}
