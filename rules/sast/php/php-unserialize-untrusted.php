<?php

function load_cart()
{
    // ruleid: php-unserialize-untrusted
    $cart = unserialize($_COOKIE['cart']);
    // ok: php-unserialize-untrusted
    $cart2 = json_decode($_COOKIE['cart'], true);
    return [$cart, $cart2];
}

function load_prefs($blob)
{
    // ruleid: php-unserialize-untrusted
    $prefs = unserialize(base64_decode($blob));
    // ok: php-unserialize-untrusted
    $prefs2 = unserialize(base64_decode($blob), ['allowed_classes' => false]);
    // ruleid: php-unserialize-untrusted
    $prefs3 = unserialize($blob, ['allowed_classes' => true]);
    // ok: php-unserialize-untrusted
    $prefs4 = unserialize($blob, ['allowed_classes' => [DateTimeImmutable::class]]);
    return [$prefs, $prefs2, $prefs3, $prefs4];
}

// ok: php-unserialize-untrusted
$defaults = unserialize('a:1:{s:5:"theme";s:4:"dark";}');
