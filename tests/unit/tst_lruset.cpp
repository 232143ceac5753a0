// LruSet: the bounded set behind the lab server's "already answered 202" bookkeeping.
#include "est/LruSet.h"

#include <QTest>

using station::est::LruSet;

class TestLruSet : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void insert_pastCapacity_forgetsTheLeastRecentlyUsed()
    {
        LruSet set(3);
        for (const char *k : {"a", "b", "c"})
            set.insert(k);
        set.insert("a"); // a is now the most recently used: b goes first
        set.insert("d");
        QCOMPARE(set.size(), qsizetype(3));
        QVERIFY(!set.contains("b"));
        QVERIFY(set.contains("a") && set.contains("c") && set.contains("d"));
    }

    void insert_manyKeys_sizeNeverExceedsCapacity()
    {
        LruSet set(100);
        for (int i = 0; i < 10000; ++i) {
            set.insert(QByteArray::number(i));
            QVERIFY(set.size() <= 100);
        }
        QVERIFY(set.contains("9999"));
        QVERIFY(!set.contains("9899"));
    }

    void remove_presentAndAbsent()
    {
        LruSet set(2);
        set.insert("x");
        QVERIFY(set.remove("x"));
        QVERIFY(!set.remove("x"));
        QCOMPARE(set.size(), qsizetype(0));
        set.insert("y");
        set.insert("z");
        set.insert("w");
        QCOMPARE(set.size(), qsizetype(2));
    }
};

QTEST_GUILESS_MAIN(TestLruSet)
#include "tst_lruset.moc"
