<?php

function calculate()
{
    $expr = $_GET['expr'];
    // ruleid: php-eval-dynamic
    $result = eval('return ' . $expr . ';');
    // ok: php-eval-dynamic
    $result2 = eval('return 1 + 2;');
    return [$result, $result2];
}

function run_plugin($code)
{
    // ruleid: php-eval-dynamic
    eval($code);
    $ops = ['upper' => 'strtoupper', 'lower' => 'strtolower'];
    // ok: php-eval-dynamic
    return call_user_func($ops[$_GET['op']] ?? 'trim', $_GET['s']);
}

function legacy_sorter($field)
{
    // ruleid: php-eval-dynamic
    $cmp = create_function('$a, $b', "return strcmp(\$a['$field'], \$b['$field']);");
    // ok: php-eval-dynamic
    $cmp2 = create_function('$a, $b', 'return $a <=> $b;');
    return [$cmp, $cmp2];
}
