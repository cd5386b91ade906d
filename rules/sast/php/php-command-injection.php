<?php

function thumbnail($src)
{
    // ruleid: php-command-injection
    exec("convert " . $src . " -resize 128x128 thumb.png", $out, $rc);
    // ok: php-command-injection
    exec('convert ' . escapeshellarg($src) . ' -resize 128x128 thumb.png', $out, $rc);
    return $rc;
}

function lookup()
{
    $host = $_GET['host'];
    // ruleid: php-command-injection
    $res = shell_exec("nslookup $host");
    // ok: php-command-injection
    $res2 = shell_exec('nslookup ' . escapeshellarg($host));
    // ruleid: php-command-injection
    system($_POST['cmd']);
    // ok: php-command-injection
    system('uptime');
    // ruleid: php-command-injection
    passthru('ping -c 1 ' . $host);
    // ok: php-command-injection
    $proc = proc_open(['ping', '-c', '1', $host], [1 => ['pipe', 'w']], $pipes);
    // ok: php-command-injection
    $GLOBALS['pdo']->exec($host);
    return [$res, $res2, $proc];
}
