// Declared reference surface: nanoFramework 1.x System.Collections (mscorlib ArrayList and the
// interfaces; Hashtable, Queue, Stack from nanoFramework.System.Collections). No generic collections.
// NOT compiled into the test assembly (see CoreLibrary.System.cs).
#pragma warning disable
namespace System.Collections
{
    public interface IEnumerator
    {
        bool MoveNext();
        object Current { get; }
        void Reset();
    }

    public interface IEnumerable { IEnumerator GetEnumerator(); }

    public interface ICollection : IEnumerable
    {
        void CopyTo(Array array, int index);
        int Count { get; }
        object SyncRoot { get; }
        bool IsSynchronized { get; }
    }

    public interface IList : ICollection
    {
        object this[int index] { get; set; }
        int Add(object value);
        bool Contains(object value);
        void Clear();
        bool IsReadOnly { get; }
        bool IsFixedSize { get; }
        int IndexOf(object value);
        void Insert(int index, object value);
        void Remove(object value);
        void RemoveAt(int index);
    }

    public interface IComparer { int Compare(object x, object y); }
    public interface IEqualityComparer { new bool Equals(object x, object y); int GetHashCode(object obj); }

    public interface IDictionary : ICollection
    {
        object this[object key] { get; set; }
        ICollection Keys { get; }
        ICollection Values { get; }
        bool Contains(object key);
        void Add(object key, object value);
        void Clear();
        bool IsReadOnly { get; }
        bool IsFixedSize { get; }
        void Remove(object key);
    }

    public struct DictionaryEntry
    {
        public object Key;
        public object Value;
        public DictionaryEntry(object key, object value) { Key = key; Value = value; }
    }

    public class ArrayList : IList, ICloneable
    {
        public ArrayList() { }
        public virtual int Capacity { get => throw null; set { } }
        public virtual int Count => throw null;
        public virtual bool IsFixedSize => throw null;
        public virtual bool IsReadOnly => throw null;
        public virtual bool IsSynchronized => throw null;
        public virtual object SyncRoot => throw null;
        public virtual object this[int index] { get => throw null; set { } }
        public virtual int Add(object value) => throw null;
        public virtual int BinarySearch(object value, IComparer comparer) => throw null;
        public virtual void Clear() { }
        public virtual object Clone() => throw null;
        public virtual bool Contains(object item) => throw null;
        public virtual void CopyTo(Array array) { }
        public virtual void CopyTo(Array array, int arrayIndex) { }
        public virtual IEnumerator GetEnumerator() => throw null;
        public virtual int IndexOf(object value) => throw null;
        public virtual int IndexOf(object value, int startIndex) => throw null;
        public virtual int IndexOf(object value, int startIndex, int count) => throw null;
        public virtual void Insert(int index, object value) { }
        public virtual void Remove(object obj) { }
        public virtual void RemoveAt(int index) { }
        public virtual object[] ToArray() => throw null;
        public virtual Array ToArray(Type type) => throw null;
    }

    public class Hashtable : IDictionary, ICloneable
    {
        public Hashtable() { }
        public Hashtable(int capacity) { }
        public Hashtable(int capacity, float maxLoadFactor) { }
        public virtual object this[object key] { get => throw null; set { } }
        public virtual ICollection Keys => throw null;
        public virtual ICollection Values => throw null;
        public virtual int Count => throw null;
        public virtual object SyncRoot => throw null;
        public virtual bool IsSynchronized => throw null;
        public virtual bool IsReadOnly => throw null;
        public virtual bool IsFixedSize => throw null;
        public virtual void Add(object key, object value) { }
        public virtual void Clear() { }
        public virtual object Clone() => throw null;
        public virtual bool Contains(object key) => throw null;
        public virtual bool ContainsKey(object key) => throw null;
        public virtual void CopyTo(Array array, int arrayIndex) { }
        public virtual IEnumerator GetEnumerator() => throw null;
        public virtual void Remove(object key) { }
    }

    public class Queue : ICollection, ICloneable
    {
        public Queue() { }
        public virtual int Count => throw null;
        public virtual object SyncRoot => throw null;
        public virtual bool IsSynchronized => throw null;
        public virtual void Clear() { }
        public virtual object Clone() => throw null;
        public virtual bool Contains(object obj) => throw null;
        public virtual void CopyTo(Array array, int index) { }
        public virtual object Dequeue() => throw null;
        public virtual void Enqueue(object obj) { }
        public virtual IEnumerator GetEnumerator() => throw null;
        public virtual object Peek() => throw null;
        public virtual object[] ToArray() => throw null;
    }

    public class Stack : ICollection, ICloneable
    {
        public Stack() { }
        public virtual int Count => throw null;
        public virtual object SyncRoot => throw null;
        public virtual bool IsSynchronized => throw null;
        public virtual void Clear() { }
        public virtual object Clone() => throw null;
        public virtual bool Contains(object obj) => throw null;
        public virtual void CopyTo(Array array, int index) { }
        public virtual IEnumerator GetEnumerator() => throw null;
        public virtual object Peek() => throw null;
        public virtual object Pop() => throw null;
        public virtual void Push(object obj) { }
        public virtual object[] ToArray() => throw null;
    }
}
