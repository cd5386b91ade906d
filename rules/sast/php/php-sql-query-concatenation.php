<?php

function find_user(mysqli $conn, $id)
{
    // ruleid: php-sql-query-concatenation
    $res = mysqli_query($conn, "SELECT * FROM users WHERE id = " . $id);
    // ok: php-sql-query-concatenation
    $res2 = mysqli_query($conn, "SELECT * FROM users WHERE active = 1");
    $stmt = $conn->prepare('SELECT * FROM users WHERE id = ?');
    $stmt->bind_param('i', $id);
    // ruleid: php-sql-query-concatenation
    $res3 = $conn->query("SELECT * FROM users WHERE name = '$_GET[name]'");
    // ok: php-sql-query-concatenation
    $res4 = $conn->query('SELECT COUNT(*) FROM users');
    return [$res, $res2, $res3, $res4];
}

function search(PDO $pdo, $term, $order)
{
    // ruleid: php-sql-query-concatenation
    $rows = $pdo->query("SELECT * FROM posts WHERE title LIKE '%" . $term . "%' ORDER BY " . $order);
    $stmt = $pdo->prepare('SELECT * FROM posts WHERE title LIKE :t');
    // ok: php-sql-query-concatenation
    $stmt->execute(['t' => '%' . $term . '%']);
    // ruleid: php-sql-query-concatenation
    $pdo->exec("DELETE FROM posts WHERE author = {$term}");
    // ok: php-sql-query-concatenation
    $pdo->exec("DELETE FROM posts WHERE " . "archived = 1");
    return $rows;
}
