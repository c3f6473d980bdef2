print("xlsx-bench")
