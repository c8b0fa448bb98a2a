import sys, time, tracemalloc, resource
sys.path.insert(0, "bench")
from bench_large import document
from guizhou_cli import parse_text
from guizhou_cli.catalogue import document_chunk
t = document(float(sys.argv[1]))
def rss(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024
print("text", len(t), "rss", rss())
t0=time.process_time()
doc = parse_text(t, "big.txt")
t1=time.process_time()
print("parsed", t1-t0, "s rss", rss())
c = document_chunk(doc, "yaml")
t2=time.process_time()
print("chunk", t2-t1, "s rss", rss(), "len", len(c))
del doc
b = c.encode()
print("enc rss", rss())
