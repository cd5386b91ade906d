<?php

function fetch($url)
{
    $ch = curl_init($url);
    // ruleid: php-curl-ssl-verification-disabled
    curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);
    // ok: php-curl-ssl-verification-disabled
    curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, true);
    // ruleid: php-curl-ssl-verification-disabled
    curl_setopt($ch, CURLOPT_SSL_VERIFYHOST, 0);
    // ok: php-curl-ssl-verification-disabled
    curl_setopt($ch, CURLOPT_SSL_VERIFYHOST, 2);
    // ok: php-curl-ssl-verification-disabled
    curl_setopt($ch, CURLOPT_TIMEOUT, 0);
    return curl_exec($ch);
}

function fetch_many($url)
{
    $ch = curl_init();
    // ruleid: php-curl-ssl-verification-disabled
    curl_setopt_array($ch, [CURLOPT_URL => $url, CURLOPT_SSL_VERIFYPEER => FALSE]);
    // ok: php-curl-ssl-verification-disabled
    curl_setopt_array($ch, [CURLOPT_URL => $url, CURLOPT_CAINFO => '/etc/pki/internal-ca.pem']);
    // ruleid: php-curl-ssl-verification-disabled
    curl_setopt_array($ch, array(CURLOPT_SSL_VERIFYHOST => 0, CURLOPT_TIMEOUT => 5));
    return curl_exec($ch);
}
